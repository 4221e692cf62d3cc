"""Opening a dossier and recording every Wkkgz element through the web interface."""

import datetime

import pytest
from django.urls import reverse

from audit.models import AccessEvent
from dossiers.models import (
    CareMoment,
    Discussion,
    Dossier,
    Experience,
    Goal,
    Treatment,
    TreatmentConsent,
)
from dossiers.services import client_register
from tests.personas import Cast, client_data


def dossier_form(**overrides: str) -> dict[str, str]:
    data = {
        "practitioner_name": "Anna de Wit",
        "practitioner_profession": "verpleegkundige",
        "agb_code": "12345678",
        "legal_basis": "overeenkomst",
        "circumstances": "Woont alleen",
        "diagnosis": "COPD",
        "start_date": "2026-01-01",
        "end_date": "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def new_client(cast: Cast):
    return client_register(actor=cast.anna, data=client_data(family_name="Nieuw"))


def test_it_opens_a_dossier(cast: Cast, as_user, new_client) -> None:
    url = reverse("dossiers:dossier_create", args=[new_client.pk])
    response = as_user(cast.anna).post(url, dossier_form())
    dossier = Dossier.objects.get(client=new_client)
    assert response.status_code == 302
    assert response["Location"] == reverse("dossiers:dossier_detail", args=[dossier.pk])
    assert dossier.diagnosis == "COPD"
    assert dossier.key_ref == new_client.key_ref


@pytest.mark.parametrize("agb", ["1234567", "abcdefgh", "123456789"])
def test_agb_code_is_validated(cast: Cast, as_user, new_client, agb: str) -> None:
    url = reverse("dossiers:dossier_create", args=[new_client.pk])
    response = as_user(cast.anna).post(url, dossier_form(agb_code=agb))
    assert response.status_code == 200
    assert response.context["form"].errors["agb_code"]


def test_end_date_before_start_date_is_refused(cast: Cast, as_user, new_client) -> None:
    url = reverse("dossiers:dossier_create", args=[new_client.pk])
    response = as_user(cast.anna).post(url, dossier_form(end_date="2025-12-31"))
    assert response.context["form"].errors["end_date"] == [
        "De einddatum ligt vóór de startdatum."
    ]
    assert not Dossier.objects.filter(client=new_client).exists()


def test_legal_basis_must_be_one_of_the_six_grounds(
    cast: Cast, as_user, new_client
) -> None:
    url = reverse("dossiers:dossier_create", args=[new_client.pk])
    response = as_user(cast.anna).post(url, dossier_form(legal_basis="omdat-het-kan"))
    assert response.context["form"].errors["legal_basis"]


def entry_url(cast: Cast, kind: str) -> str:
    return reverse("dossiers:entry_create", args=[cast.dossier.pk, kind])


def test_it_records_every_kind_of_entry(cast: Cast, as_user) -> None:
    http = as_user(cast.anna)
    assert (
        http.post(
            entry_url(cast, "doelen"),
            {
                "kind": "doel",
                "description": "Zelf douchen",
                "status": "lopend",
                "evaluation": "",
            },
        ).status_code
        == 302
    )
    goal = Goal.objects.get(dossier=cast.dossier)
    assert (
        http.post(
            entry_url(cast, "behandelingen"),
            {
                "title": "Douchetraining",
                "description": "",
                "proposed_on": "2026-01-06",
                "goals": [str(goal.pk)],
            },
        ).status_code
        == 302
    )
    treatment = Treatment.objects.get(dossier=cast.dossier)
    assert list(treatment.goals.all()) == [goal]
    assert (
        http.post(
            entry_url(cast, "overleg"),
            {
                "held_on": "2026-01-06",
                "minutes": "Besproken: douchen",
                "treatments": [str(treatment.pk)],
            },
        ).status_code
        == 302
    )
    assert (
        http.post(
            entry_url(cast, "toestemmingen"),
            {
                "treatment": str(treatment.pk),
                "scope": "",
                "given_on": "2026-01-07",
                "method": "mondeling",
                "given_by": "cliënt",
                "withdrawn_on": "",
                "withdrawal_note": "",
            },
        ).status_code
        == 302
    )
    assert (
        http.post(
            entry_url(cast, "zorgmomenten"),
            {
                "date": "2026-01-08",
                "start_time": "09:00",
                "end_time": "09:30",
                "activities": "Douchen begeleid",
                "results": "Lukt met hulp",
                "goals": [str(goal.pk)],
            },
        ).status_code
        == 302
    )
    assert (
        http.post(
            entry_url(cast, "ervaringen"),
            {"recorded_on": "2026-01-09", "text": "Prettig"},
        ).status_code
        == 302
    )
    for model in (Discussion, TreatmentConsent, CareMoment, Experience):
        assert model.objects.filter(dossier=cast.dossier).count() == 1
    creates = AccessEvent.objects.filter(
        dossier_id=cast.dossier.pk, action="C"
    ).values_list("event_type", flat=True)
    assert {
        "goal.create",
        "treatment.create",
        "discussion.create",
        "treatmentconsent.create",
        "caremoment.create",
        "experience.create",
    } <= set(creates)


def test_care_moment_must_end_after_it_starts(cast: Cast, as_user) -> None:
    response = as_user(cast.anna).post(
        entry_url(cast, "zorgmomenten"),
        {
            "date": "2026-01-08",
            "start_time": "10:00",
            "end_time": "09:00",
            "activities": "x",
            "results": "",
        },
    )
    assert response.context["form"].errors["end_time"] == [
        "De eindtijd moet na de begintijd liggen."
    ]
    assert not CareMoment.objects.exists()


def test_consent_withdrawal_cannot_precede_consent(cast: Cast, as_user) -> None:
    http = as_user(cast.anna)
    http.post(
        entry_url(cast, "behandelingen"), {"title": "T", "proposed_on": "2026-01-06"}
    )
    treatment = Treatment.objects.get()
    response = http.post(
        entry_url(cast, "toestemmingen"),
        {
            "treatment": str(treatment.pk),
            "given_on": "2026-01-07",
            "method": "schriftelijk",
            "given_by": "cliënt",
            "withdrawn_on": "2026-01-01",
        },
    )
    assert "Intrekken kan niet" in response.context["form"].errors["withdrawn_on"][0]


def test_a_goal_from_another_dossier_cannot_be_linked(cast: Cast, as_user) -> None:
    from tests.personas import register_client_with_dossier

    other = register_client_with_dossier(cast.anna, family_name="Ander")
    foreign = Goal.objects.create(
        dossier=other,
        practice_id=other.practice_id,
        key_ref=other.key_ref,
        created_by=cast.anna,
        description="ander doel",
    )
    response = as_user(cast.anna).post(
        entry_url(cast, "zorgmomenten"),
        {
            "date": "2026-01-08",
            "start_time": "09:00",
            "end_time": "10:00",
            "activities": "x",
            "goals": [str(foreign.pk)],
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["goals"]


def test_editing_an_entry_keeps_it_in_the_same_dossier(cast: Cast, as_user) -> None:
    http = as_user(cast.anna)
    http.post(
        entry_url(cast, "ervaringen"), {"recorded_on": "2026-01-09", "text": "Eerst"}
    )
    experience = Experience.objects.get()
    url = reverse(
        "dossiers:entry_edit", args=[cast.dossier.pk, "ervaringen", experience.pk]
    )
    response = http.post(
        url,
        {
            "recorded_on": "2026-01-09",
            "text": "Daarna",
            "version": experience.version,
            "change_reason": "tikfout",
        },
    )
    assert response.status_code == 302
    experience.refresh_from_db()
    assert experience.text == "Daarna" and experience.version == 2
    event = AccessEvent.objects.get(event_type="experience.update")
    assert event.fields == ["text"]


def test_an_entry_of_another_kind_is_not_found_under_a_wrong_url(
    cast: Cast, as_user
) -> None:
    http = as_user(cast.anna)
    http.post(
        entry_url(cast, "ervaringen"), {"recorded_on": "2026-01-09", "text": "Eerst"}
    )
    experience = Experience.objects.get()
    url = reverse(
        "dossiers:entry_edit", args=[cast.dossier.pk, "doelen", experience.pk]
    )
    assert http.get(url).status_code == 404


def test_a_change_moves_the_last_change_date(cast: Cast, as_user) -> None:
    Dossier.objects.filter(pk=cast.dossier.pk).update(
        last_changed_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
    )
    as_user(cast.anna).post(
        entry_url(cast, "ervaringen"), {"recorded_on": "2026-01-09", "text": "x"}
    )
    cast.dossier.refresh_from_db()
    assert cast.dossier.last_changed_at.year >= 2026
