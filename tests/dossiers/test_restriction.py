"""AVG art. 18: a restricted dossier is read-only everywhere; lifting it is logged."""

import pytest
from django.urls import reverse

from audit.models import AccessEvent
from dossiers import lifecycle, services
from dossiers.access import DossierRestricted
from dossiers.models import Dossier, Goal, Revision
from tests.personas import Cast, owner_access


def restrict(cast: Cast) -> None:
    lifecycle.restriction_set(
        access=owner_access(cast.dossier),
        actor=cast.anna,
        restricted=True,
        reason="cliënt betwist de juistheid",
    )


def test_a_restricted_dossier_refuses_writes_in_the_service_layer(cast: Cast) -> None:
    restrict(cast)
    with pytest.raises(DossierRestricted):
        services.entry_add(
            access=owner_access(cast.dossier),
            actor=cast.anna,
            model=Goal,
            data={"description": "Nieuw doel"},
        )
    assert not Goal.objects.filter(dossier=cast.dossier).exists()


def test_a_restricted_dossier_refuses_writes_through_every_screen(
    cast: Cast, as_user
) -> None:
    restrict(cast)
    http = as_user(cast.anna)
    pk = cast.dossier.pk
    for url in (
        reverse("dossiers:dossier_edit", args=[pk]),
        reverse("dossiers:entry_create", args=[pk, "doelen"]),
        reverse("dossiers:attachment_create", args=[pk]),
        reverse("dossiers:client_edit", args=[cast.dossier.client_id]),
    ):
        response = http.post(url, {"description": "x"})
        assert response.status_code == 403, url
        assert "beperkt" in response.content.decode()
    denied = AccessEvent.objects.filter(dossier_id=pk, outcome="denied")
    assert ["beperkt" in e.checks.get("autorisatie", "") for e in denied] == [True] * 4


def test_the_restriction_is_shown_and_reading_still_works(cast: Cast, as_user) -> None:
    restrict(cast)
    page = as_user(cast.anna).get(
        reverse("dossiers:dossier_detail", args=[cast.dossier.pk])
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert "Verwerking beperkt sinds" in html
    assert reverse("dossiers:dossier_edit", args=[cast.dossier.pk]) not in html


def test_lifting_needs_a_reason_is_logged_and_kept_in_the_history(
    cast: Cast, as_user
) -> None:
    restrict(cast)
    http = as_user(cast.anna)
    url = reverse("dossiers:restriction", args=[cast.dossier.pk])
    assert (
        http.post(url, {"action": "opheffen", "reason": ""}).status_code == 200
    )  # a form error, nothing lifted
    assert Dossier.objects.get(pk=cast.dossier.pk).is_restricted
    assert (
        http.post(
            url, {"action": "opheffen", "reason": "gegevens gecorrigeerd"}
        ).status_code
        == 302
    )
    assert not Dossier.objects.get(pk=cast.dossier.pk).is_restricted
    lifted = AccessEvent.objects.get(
        event_type="restriction.lift", dossier_id=cast.dossier.pk
    )
    assert lifted.actor_id == cast.anna.pk
    kept = Revision.objects.get(object_id=cast.dossier.pk, object_type="beperking")
    assert kept.reason == "gegevens gecorrigeerd"
    assert "cliënt betwist de juistheid" in kept.old_values
    history = http.get(reverse("dossiers:dossier_history", args=[cast.dossier.pk]))
    assert "gegevens gecorrigeerd" in history.content.decode()
    # and writing works again
    services.entry_add(
        access=owner_access(cast.dossier),
        actor=cast.anna,
        model=Goal,
        data={"description": "Weer bewerkbaar"},
    )


def test_a_repeated_restrict_post_never_lifts_the_restriction(
    cast: Cast, as_user
) -> None:
    """Restricting twice (a double click, a second tab) leaves the dossier restricted,
    with one restriction event and the first reason and date kept."""
    http = as_user(cast.anna)
    url = reverse("dossiers:restriction", args=[cast.dossier.pk])
    form = {"action": "beperken", "reason": "cliënt betwist de juistheid"}
    assert http.post(url, form).status_code == 302
    first = Dossier.objects.get(pk=cast.dossier.pk)
    assert first.is_restricted
    assert http.post(url, {**form, "reason": "nog eens"}).status_code == 302
    again = Dossier.objects.get(pk=cast.dossier.pk)
    assert again.is_restricted
    assert (again.restricted_at, again.restriction_reason) == (
        first.restricted_at,
        first.restriction_reason,
    )
    events = AccessEvent.objects.filter(dossier_id=cast.dossier.pk)
    assert events.filter(event_type="restriction.set").count() == 1
    assert not events.filter(event_type="restriction.lift").exists()


def test_a_repeated_lift_post_never_restricts_again(cast: Cast, as_user) -> None:
    """Lifting twice leaves the dossier unrestricted, with one lift event and one kept revision."""
    restrict(cast)
    http = as_user(cast.anna)
    url = reverse("dossiers:restriction", args=[cast.dossier.pk])
    form = {"action": "opheffen", "reason": "gegevens gecorrigeerd"}
    assert http.post(url, form).status_code == 302
    assert http.post(url, form).status_code == 302
    assert not Dossier.objects.get(pk=cast.dossier.pk).is_restricted
    events = AccessEvent.objects.filter(dossier_id=cast.dossier.pk)
    assert events.filter(event_type="restriction.lift").count() == 1
    assert Revision.objects.filter(object_type="beperking").count() == 1


def test_a_post_without_the_wanted_state_changes_nothing(cast: Cast, as_user) -> None:
    """A POST that does not say "beperken" or "opheffen" is a Dutch form error, not a toggle."""
    restrict(cast)
    http = as_user(cast.anna)
    url = reverse("dossiers:restriction", args=[cast.dossier.pk])
    for action in ("", "wissel", "beperken'"):
        response = http.post(url, {"action": action, "reason": "x"})
        assert response.status_code == 200
        assert "beperk" in response.content.decode()
    assert Dossier.objects.get(pk=cast.dossier.pk).is_restricted


def test_the_service_is_idempotent(cast: Cast) -> None:
    """restriction_set to the state the dossier already has changes and logs nothing."""
    restrict(cast)
    first = Dossier.objects.get(pk=cast.dossier.pk)
    restrict(cast)
    assert Dossier.objects.get(pk=cast.dossier.pk).restricted_at == first.restricted_at
    assert (
        AccessEvent.objects.filter(
            dossier_id=cast.dossier.pk, event_type="restriction.set"
        ).count()
        == 1
    )


def test_the_form_asks_for_the_opposite_state_by_name(cast: Cast, as_user) -> None:
    """The form carries "beperken" or "opheffen" and its button says which."""
    http = as_user(cast.anna)
    url = reverse("dossiers:restriction", args=[cast.dossier.pk])
    html = http.get(url).content.decode()
    assert 'name="action" value="beperken"' in html and ">Verwerking beperken<" in html
    restrict(cast)
    html = http.get(url).content.decode()
    assert 'name="action" value="opheffen"' in html and ">Beperking opheffen<" in html
