"""Finding a client by name or date of birth; the terms never travel in the URL."""

from django.urls import reverse

from tests.personas import Cast, register_client_with_dossier

URL = reverse("dossiers:client_list")


def test_it_finds_by_name_parts(cast: Cast, as_user) -> None:
    register_client_with_dossier(
        cast.anna, given_names="Els", name_prefix="de", family_name="Boer"
    )
    response = as_user(cast.anna).post(URL, {"name": "els boer"})
    names = [c.family_name for c in response.context["page"]]
    assert names == ["Boer"]


def test_it_finds_by_date_of_birth(cast: Cast, as_user) -> None:
    register_client_with_dossier(
        cast.anna, family_name="Boer", date_of_birth="1961-01-02"
    )
    response = as_user(cast.anna).post(URL, {"date_of_birth": "1961-01-02"})
    assert [c.family_name for c in response.context["page"]] == ["Boer"]


def test_empty_search_explains_itself(cast: Cast, as_user) -> None:
    response = as_user(cast.anna).post(URL, {"name": "", "date_of_birth": ""})
    assert "Vul een naam of geboortedatum in om te zoeken." in response.content.decode()


def test_the_search_form_posts(cast: Cast, as_user) -> None:
    html = as_user(cast.anna).get(URL).content.decode()
    assert 'method="post" class="search"' in html
