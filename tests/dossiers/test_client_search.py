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


def test_the_list_is_in_name_order_though_names_are_encrypted(
    cast: Cast, as_user
) -> None:
    """Family name, then given names, ignoring case; the page of 50 comes from the sorted
    whole, and only the user's own (and granted) clients appear."""
    for given, family in [("Zoë", "de Wit"), ("Anna", "aalders"), ("Bas", "Aalders")]:
        register_client_with_dossier(
            cast.anna, given_names=given, name_prefix="", family_name=family
        )
    for n in range(50):
        register_client_with_dossier(
            cast.anna, given_names="X", family_name=f"Z{n:02d}"
        )
    register_client_with_dossier(cast.carla, family_name="Anders")  # another practice
    anna = as_user(cast.anna)
    first = [(c.family_name, c.given_names) for c in anna.get(URL).context["page"]]
    assert first[:4] == [
        ("aalders", "Anna"),
        ("Aalders", "Bas"),
        ("Dalen", "Bram"),
        ("de Wit", "Zoë"),
    ]
    last = anna.get(URL, {"pagina": 2}).context["page"]
    assert [c.family_name for c in last] == ["Z46", "Z47", "Z48", "Z49"]
    assert last.paginator.count == 54


def test_a_search_matches_parts_of_names_and_the_prefix_exactly(
    cast: Cast, as_user
) -> None:
    register_client_with_dossier(
        cast.anna, given_names="Els", name_prefix="de", family_name="Boer"
    )
    anna = as_user(cast.anna)

    def found(name: str) -> list[str]:
        return [c.family_name for c in anna.post(URL, {"name": name}).context["page"]]

    assert found("OE") == ["Boer"]  # a part of the family name, any case
    assert found("de boer") == ["Boer"]  # the prefix, as a whole word
    assert found("d boer") == []  # a part of the prefix is not enough
    assert found("els dalen") == []  # every word must match the same client
