"""Care as onderaannemer: the agreement per client and dated checks of the opdrachtgever's
dossier against the Wkkgz items, shown on the readiness overview."""

from django.urls import reverse

from practice.models import PrincipalDossierCheck, Subcontract
from practice.wkkgz import ITEMS
from tests.personas import Cast


def agree(http, cast: Cast) -> None:
    http.post(
        reverse("practice:subcontract", args=[cast.dossier.pk]),
        {
            "principal": "Thuiszorg Noord",
            "agreed_on": "2026-01-02",
            "leading": "opdrachtgever",
        },
    )


def check_form(**overrides: str) -> dict[str, str]:
    data = {"checked_on": "2026-02-01"}
    for key, _label in ITEMS:
        data[f"{key}__result"] = "aanwezig"
    data.update(overrides)
    return data


def test_the_agreement_and_a_check_show_on_the_overview(cast: Cast, as_user) -> None:
    http = as_user(cast.anna)
    agree(http, cast)
    assert Subcontract.objects.get().principal == "Thuiszorg Noord"
    html = http.get(reverse("practice:readiness")).content.decode()
    assert "nog niet gecontroleerd" in html
    response = http.post(
        reverse("practice:principal_check", args=[cast.dossier.pk]),
        check_form(
            diagnosis__result="ontbreekt", diagnosis__follow_up="Opdrachtgever vult aan"
        ),
    )
    assert response.status_code == 302
    check = PrincipalDossierCheck.objects.get()
    assert check.missing() == ["diagnosis"]
    html = http.get(reverse("practice:readiness")).content.decode()
    assert "gecontroleerd op 1 februari 2026: 1 onderdelen ontbreken" in html


def test_a_missing_item_needs_an_agreed_follow_up(cast: Cast, as_user) -> None:
    http = as_user(cast.anna)
    agree(http, cast)
    page = http.post(
        reverse("practice:principal_check", args=[cast.dossier.pk]),
        check_form(consent__result="ontbreekt", consent__note="geen handtekening"),
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert "Leg vast wat u met de opdrachtgever afspreekt over" in html
    assert "geen handtekening" in html  # nothing typed is lost
    assert not PrincipalDossierCheck.objects.exists()


def test_a_date_in_the_future_is_refused_in_dutch(cast: Cast, as_user) -> None:
    page = as_user(cast.anna).post(
        reverse("practice:subcontract", args=[cast.dossier.pk]),
        {"principal": "X", "agreed_on": "9999-12-31", "leading": "eigen"},
    )
    assert "Vul een datum in tussen 1 januari 1900 en" in page.content.decode()
    assert not Subcontract.objects.exists()


def test_outsiders_get_404(cast: Cast, as_user) -> None:
    url = reverse("practice:subcontract", args=[cast.dossier.pk])
    assert as_user(cast.carla).get(url).status_code == 404
    assert as_user(cast.carla).post(url, {"principal": "X"}).status_code == 404
