"""Correction: a change to clinical content keeps the earlier version, with who, when and why."""

from django.db import connection
from django.urls import reverse

from dossiers import services
from dossiers.models import Dossier, Goal, Revision
from tests.personas import Cast, owner_access


def add_goal(cast: Cast) -> Goal:
    return services.entry_add(
        access=owner_access(cast.dossier),
        actor=cast.anna,
        model=Goal,
        data={"description": "Drie keer per week wandelen"},
    )


def test_an_edit_keeps_the_old_text_with_who_when_and_why(cast: Cast, as_user) -> None:
    goal = add_goal(cast)
    http = as_user(cast.anna)
    url = reverse("dossiers:entry_edit", args=[cast.dossier.pk, "doelen", goal.pk])
    missing_reason = http.post(
        url,
        {
            "kind": "doel",
            "description": "Twee keer per week wandelen",
            "status": "lopend",
            "version": "1",
            "change_reason": "",
        },
    )
    assert missing_reason.status_code == 200
    assert (
        "Twee keer per week wandelen" in missing_reason.content.decode()
    )  # input kept
    assert Goal.objects.get(pk=goal.pk).description == "Drie keer per week wandelen"
    saved = http.post(
        url,
        {
            "kind": "doel",
            "description": "Twee keer per week wandelen",
            "status": "lopend",
            "version": "1",
            "change_reason": "afgesproken met fysiotherapeut",
        },
    )
    assert saved.status_code == 302
    revision = Revision.objects.get(object_id=goal.pk)
    assert revision.version == 1
    assert revision.changed_by == cast.anna
    assert revision.reason == "afgesproken met fysiotherapeut"
    assert "Drie keer per week wandelen" in revision.old_values

    history = http.get(
        reverse("dossiers:entry_history", args=[cast.dossier.pk, "doelen", goal.pk])
    ).content.decode()
    assert "Drie keer per week wandelen" in history  # old
    assert "Twee keer per week wandelen" in history  # new
    assert "afgesproken met fysiotherapeut" in history
    assert "Anna de Wit" in history


def test_the_old_version_is_stored_encrypted(cast: Cast) -> None:
    goal = add_goal(cast)
    services.entry_update(
        access=owner_access(cast.dossier),
        actor=cast.anna,
        entry=goal,
        data={"description": "Nieuw"},
        expected_version=1,
        reason="canary-reden-55e1",
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT old_values, reason FROM dossiers_revision")
        old_values, reason = cursor.fetchone()
    assert "Drie keer" not in old_values and "canary-reden" not in reason


def test_a_diagnosis_correction_shows_in_the_dossier_history(
    cast: Cast, as_user
) -> None:
    dossier = Dossier.objects.get(pk=cast.dossier.pk)
    services.dossier_update(
        access=owner_access(dossier),
        actor=cast.anna,
        data={"diagnosis": "diabetes type 2"},
        expected_version=dossier.version,
        reason="uitslag huisarts ontvangen",
    )
    page = as_user(cast.anna).get(
        reverse("dossiers:dossier_history", args=[cast.dossier.pk])
    )
    html = page.content.decode()
    assert "canary-diabetes-7f3a" in html and "uitslag huisarts ontvangen" in html
    assert "diagnose" in html  # the field's Dutch label, not its code name


def test_an_unchanged_save_keeps_no_revision(cast: Cast) -> None:
    goal = add_goal(cast)
    services.entry_update(
        access=owner_access(cast.dossier),
        actor=cast.anna,
        entry=goal,
        data={"description": "Drie keer per week wandelen", "status": "behaald"},
        expected_version=1,
    )
    assert not Revision.objects.filter(object_id=goal.pk).exists()
