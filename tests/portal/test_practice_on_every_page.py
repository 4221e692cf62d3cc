"""The practice's name and phone number are on every page a client opens; the number comes
from the practice's newest privacy statement, where the zorgverlener fills it in."""

from __future__ import annotations

from django.test import Client as HttpClient
from django.urls import reverse

from practice.models import PrivacyStatement
from tests.personas import Cast, verified_login
from tests.portal.test_terms_explained import client_pages
from tests.world import make_world

FORM = {
    "phone": "030-1234567",
    "contact": "Praktijk Anna, Dorpsstraat 2",
    "complaints": "Klachtenregeling SoloPartners",
    "purposes": "Zorg verlenen",
    "extra": "",
}


def test_every_client_page_names_the_practice_and_its_number() -> None:
    world = make_world()
    http = verified_login(HttpClient(), world.cast.bram)
    pages = client_pages(world.samples, http)
    assert len(pages) >= 10
    for name, body in pages.items():
        head = body[body.index('<header class="container portal-head">') :]
        head = head[: head.index("</header>")]
        assert "Praktijk Anna" in head, name
        assert 'href="tel:0301234567"' in head and "030-1234567" in head, name


def test_the_zorgverlener_gives_the_number_and_a_wrong_one_is_refused(
    cast: Cast, as_user
) -> None:
    http = as_user(cast.anna)
    wrong = http.post(reverse("practice:privacy_edit"), {**FORM, "phone": "bel mij"})
    assert wrong.status_code == 200
    assert "Vul een telefoonnummer in" in wrong.content.decode()
    missing = http.post(reverse("practice:privacy_edit"), {**FORM, "phone": ""})
    assert "Dit veld is verplicht." in missing.content.decode()
    assert not PrivacyStatement.objects.exists()
    assert http.post(reverse("practice:privacy_edit"), FORM).status_code == 302
    http.logout()
    page = verified_login(HttpClient(), cast.bram).get(reverse("portal:home"))
    assert "030-1234567" in page.content.decode()


def test_without_a_number_yet_the_practice_name_still_shows(
    cast: Cast, as_user
) -> None:
    page = as_user(cast.bram).get(reverse("portal:grants")).content.decode()
    head = page[page.index("portal-head") : page.index("</header>")]
    assert "Praktijk Anna" in head and "tel:" not in head
