"""A link to a POST-only action answers 405 with a Dutch page and a way back, not blank."""

from django.urls import reverse

from tests.personas import Cast


def test_a_get_on_a_post_only_action_gets_a_dutch_page(cast: Cast, as_user) -> None:
    page = as_user(cast.anna).get(reverse("accounts:logout"))
    assert page.status_code == 405
    html = page.content.decode()
    assert "Dit kan zo niet" in html and "Naar de startpagina" in html
    assert "POST" in page["Allow"]
