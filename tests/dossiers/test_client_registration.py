"""Registering a client: BSN only for Zvw/Wlz, then with a recorded identity check."""

import datetime

import pytest
from django.urls import reverse

from audit.models import AccessEvent
from tests.personas import Cast, client_named, clients_named

URL = reverse("dossiers:client_create")


def form(**overrides: str) -> dict[str, str]:
    data = {
        "given_names": "Clara",
        "name_prefix": "",
        "family_name": "Vos",
        "date_of_birth": "1944-02-03",
        "email": "clara@example.nl",
        "phone": "0201234567",
        "address": "Kade 2",
        "funding": "wmo",
        "bsn": "",
        "id_document_type": "",
        "id_document_number": "",
        "id_checked_on": "",
    }
    data.update(overrides)
    return data


def zvw(**overrides: str) -> dict[str, str]:
    today = datetime.date.today().isoformat()
    base = {
        "funding": "zvw",
        "bsn": "111222333",
        "id_document_type": "paspoort",
        "id_document_number": "NX1234567",
        "id_checked_on": today,
    }
    base.update(overrides)
    return form(**base)


def test_it_registers_a_wmo_client_without_bsn(cast: Cast, as_user) -> None:
    response = as_user(cast.anna).post(URL, form())
    assert response.status_code == 302
    client = client_named("Vos")
    assert client.bsn == "" and client.bsn_index is None
    assert client.practice_id == cast.anna.practice_id
    assert (
        AccessEvent.objects.filter(
            event_type="client.create", client_id=client.pk
        ).count()
        == 1
    )


def test_it_registers_a_zvw_client_with_bsn_and_identity_check(
    cast: Cast, as_user
) -> None:
    response = as_user(cast.anna).post(URL, zvw())
    assert response.status_code == 302
    client = client_named("Vos")
    assert client.bsn == "111222333"
    assert client.id_checked_by == cast.anna
    assert client.id_document_number == "NX1234567"


def test_it_pads_an_eight_digit_bsn(cast: Cast, as_user) -> None:
    as_user(cast.anna).post(URL, zvw(bsn="12345672"))
    assert client_named("Vos").bsn == "012345672"


@pytest.mark.parametrize("funding", ["zvw", "wlz"])
def test_zvw_and_wlz_require_a_bsn(cast: Cast, as_user, funding: str) -> None:
    response = as_user(cast.anna).post(URL, zvw(funding=funding, bsn=""))
    assert response.status_code == 200
    assert (
        "Bij zorg via de Zvw of Wlz is het BSN verplicht."
        in response.context["form"].errors["bsn"]
    )
    assert not clients_named("Vos")


@pytest.mark.parametrize(
    "missing", ["id_document_type", "id_document_number", "id_checked_on"]
)
def test_zvw_requires_the_identity_check(cast: Cast, as_user, missing: str) -> None:
    response = as_user(cast.anna).post(URL, zvw(**{missing: ""}))
    assert response.status_code == 200
    assert "identiteitscontrole" in response.context["form"].errors[missing][0]


@pytest.mark.parametrize("funding", ["wmo", "jeugdwet", "particulier", "anders"])
def test_bsn_is_refused_for_other_funding(cast: Cast, as_user, funding: str) -> None:
    response = as_user(cast.anna).post(URL, form(funding=funding, bsn="111222333"))
    assert response.status_code == 200
    errors = response.context["form"].errors["bsn"]
    assert errors == [
        "Een BSN mag alleen worden vastgelegd als de zorg via de Zvw of Wlz wordt betaald."
    ]
    # The error stands next to the field, and the rest of the input is kept.
    html = response.content.decode()
    assert 'id="id_bsn_error"' in html
    assert 'value="Vos"' in html


def test_bsn_must_pass_the_elfproef(cast: Cast, as_user) -> None:
    response = as_user(cast.anna).post(URL, zvw(bsn="123456789"))
    assert "elfproef" in response.context["form"].errors["bsn"][0]


def test_bsn_is_unique_per_practice(cast: Cast, as_user) -> None:
    as_user(cast.anna).post(URL, zvw())
    response = as_user(cast.anna).post(URL, zvw(family_name="Anders"))
    assert response.status_code == 200
    assert response.context["form"].errors["bsn"] == [
        "Er staat al een cliënt met dit BSN in uw praktijk."
    ]


def test_the_same_bsn_may_exist_in_another_practice(cast: Cast, as_user) -> None:
    as_user(cast.anna).post(URL, zvw())
    response = as_user(cast.carla).post(URL, zvw())
    assert response.status_code == 302
    assert len(clients_named("Vos")) == 2


def test_identity_check_cannot_be_in_the_future(cast: Cast, as_user) -> None:
    tomorrow = (datetime.date.today() + datetime.timedelta(days=1)).isoformat()
    response = as_user(cast.anna).post(URL, zvw(id_checked_on=tomorrow))
    assert "toekomst" in response.context["form"].errors["id_checked_on"][0]


@pytest.mark.parametrize("born", ["1899-12-31", "2999-01-01"])
def test_birth_date_must_be_plausible(cast: Cast, as_user, born: str) -> None:
    response = as_user(cast.anna).post(URL, form(date_of_birth=born))
    assert response.status_code == 200
    assert response.context["form"].errors["date_of_birth"]


def test_an_invalid_date_gets_a_dutch_message(cast: Cast, as_user) -> None:
    response = as_user(cast.anna).post(URL, form(date_of_birth="31-02-2020"))
    assert response.context["form"].errors["date_of_birth"] == [
        "Voer een geldige datum in."
    ]


def test_only_a_caregiver_registers_clients(cast: Cast, as_user) -> None:
    assert as_user(cast.bram).get(URL).status_code == 403
    assert as_user(cast.bram).post(URL, form()).status_code == 403
