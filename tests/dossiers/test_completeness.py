"""The completeness panel names what the Wkkgz still asks of a dossier."""

import datetime

from django.urls import reverse

from dossiers import services
from dossiers.completeness import missing_elements
from dossiers.models import Treatment
from tests.personas import Cast, owner_access


def panel(http, cast: Cast) -> list[str]:
    return http.get(reverse("dossiers:dossier_detail", args=[cast.dossier.pk])).context[
        "missing"
    ]


def test_panel_changes_as_the_dossier_fills(cast: Cast, as_user) -> None:
    http = as_user(cast.anna)
    before = panel(http, cast)
    assert "Doelen en voorkeuren van de cliënt." in before
    assert "Zorgmomenten met de bereikte resultaten." in before
    access = owner_access(cast.dossier)
    treatment = services.entry_add(
        access=access,
        actor=cast.anna,
        model=Treatment,
        data={"title": "Wondzorg", "proposed_on": datetime.date(2026, 1, 6)},
    )
    assert "Geen toestemming vastgelegd voor behandeling “Wondzorg”." in panel(
        http, cast
    )
    http.post(
        reverse("dossiers:entry_create", args=[cast.dossier.pk, "toestemmingen"]),
        {
            "treatment": str(treatment.pk),
            "given_on": "2026-01-07",
            "method": "mondeling",
            "given_by": "cliënt",
        },
    )
    http.post(
        reverse("dossiers:entry_create", args=[cast.dossier.pk, "zorgmomenten"]),
        {
            "date": "2026-01-08",
            "start_time": "09:00",
            "end_time": "10:00",
            "activities": "wond verzorgd",
        },
    )
    after = panel(http, cast)
    assert "Geen toestemming vastgelegd voor behandeling “Wondzorg”." not in after
    assert "Zorgmomenten met de bereikte resultaten." not in after
    assert len(after) < len(before)


def test_withdrawn_consent_counts_as_none(cast: Cast) -> None:
    access = owner_access(cast.dossier)
    treatment = services.entry_add(
        access=access,
        actor=cast.anna,
        model=Treatment,
        data={"title": "Wondzorg", "proposed_on": datetime.date(2026, 1, 6)},
    )
    from dossiers.models import TreatmentConsent

    services.entry_add(
        access=access,
        actor=cast.anna,
        model=TreatmentConsent,
        data={
            "treatment": treatment,
            "given_on": datetime.date(2026, 1, 7),
            "method": "mondeling",
            "given_by": "cliënt",
            "withdrawn_on": datetime.date(2026, 2, 1),
        },
    )
    treatment = Treatment.objects.prefetch_related("consents").get(pk=treatment.pk)
    missing = missing_elements(
        client=access.client,
        dossier=access.dossier,
        goals=[],
        treatments=[treatment],
        discussions=[],
        experiences=[],
        care_moment_count=0,
    )
    assert "Geen toestemming vastgelegd voor behandeling “Wondzorg”." in missing


def test_care_plan_must_be_agreed_within_six_weeks(cast: Cast) -> None:
    access = owner_access(cast.dossier)
    start = access.dossier.start_date
    kwargs = {
        "client": access.client,
        "dossier": access.dossier,
        "goals": [],
        "treatments": [],
        "discussions": [],
        "experiences": [],
        "care_moment_count": 0,
    }
    late = "Zorgplan niet binnen zes weken na de start van de zorg met de cliënt afgesproken."
    assert late not in missing_elements(
        **kwargs, today=start + datetime.timedelta(days=42)
    )
    assert late in missing_elements(**kwargs, today=start + datetime.timedelta(days=43))


def test_a_complete_dossier_says_so(cast: Cast, as_user) -> None:
    access = owner_access(cast.dossier)
    from dossiers.models import (
        CareMoment,
        Discussion,
        Experience,
        Goal,
        TreatmentConsent,
    )

    add = services.entry_add
    goal = add(access=access, actor=cast.anna, model=Goal, data={"description": "doel"})
    treatment = add(
        access=access,
        actor=cast.anna,
        model=Treatment,
        data={"title": "T", "proposed_on": access.dossier.start_date, "goals": [goal]},
    )
    add(
        access=access,
        actor=cast.anna,
        model=TreatmentConsent,
        data={
            "treatment": treatment,
            "given_on": access.dossier.start_date,
            "method": "schriftelijk",
            "given_by": "cliënt",
        },
    )
    add(
        access=access,
        actor=cast.anna,
        model=Discussion,
        data={"held_on": access.dossier.start_date, "minutes": "m"},
    )
    add(
        access=access,
        actor=cast.anna,
        model=CareMoment,
        data={
            "date": access.dossier.start_date,
            "start_time": datetime.time(9),
            "end_time": datetime.time(10),
            "activities": "a",
        },
    )
    add(
        access=access,
        actor=cast.anna,
        model=Experience,
        data={"recorded_on": access.dossier.start_date, "text": "e"},
    )
    response = as_user(cast.anna).get(
        reverse("dossiers:dossier_detail", args=[cast.dossier.pk])
    )
    assert response.context["missing"] == []
    assert (
        "Alle onderdelen die de Wkkgz vraagt zijn vastgelegd."
        in response.content.decode()
    )
