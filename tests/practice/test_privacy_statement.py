"""The practice's privacy statement: written by the zzp'er, versioned, public without
login, built from the practice's own legal grounds, linked from portal and invitation."""

from django.core import mail
from django.test import Client as HttpClient
from django.urls import reverse

from practice.models import PrivacyStatement
from tests.personas import Cast

FORM = {
    "phone": "030-1234567",
    "contact": "Praktijk Anna, Dorpsstraat 2, 030-1234567",
    "complaints": "Aangesloten bij de klachtenregeling van SoloPartners.",
    "purposes": "Zorg verlenen en declareren.",
    "extra": "",
}


def test_each_publication_is_a_new_version_and_the_public_page_shows_the_newest(
    cast: Cast, as_user
) -> None:
    http = as_user(cast.anna)
    assert http.post(reverse("practice:privacy_edit"), FORM).status_code == 302
    second = {**FORM, "contact": "Praktijk Anna, nieuw adres"}
    http.post(reverse("practice:privacy_edit"), second)
    versions = list(
        PrivacyStatement.objects.order_by("version").values_list("version", "contact")
    )
    assert versions == [(1, FORM["contact"]), (2, "Praktijk Anna, nieuw adres")]
    page = HttpClient().get(
        reverse("practice:privacy_public", args=[cast.anna.practice_id])
    )
    html = page.content.decode()
    assert page.status_code == 200
    assert "nieuw adres" in html and "Dorpsstraat 2" not in html
    assert "Versie 2" in html
    assert "uitvoering van de (behandel)overeenkomst" in html  # anna's ground
    assert "Bram" not in html


def test_an_empty_form_says_what_is_missing_and_publishes_nothing(
    cast: Cast, as_user
) -> None:
    page = as_user(cast.anna).post(
        reverse("practice:privacy_edit"), {**FORM, "complaints": ""}
    )
    assert page.status_code == 200
    assert "Dit veld is verplicht." in page.content.decode()
    assert FORM["contact"] in page.content.decode()  # what was typed stays
    assert not PrivacyStatement.objects.exists()


def test_before_the_first_version_the_rights_and_grounds_show_already(
    cast: Cast,
) -> None:
    """The portal links here from day one: no 404 while the zzp'er has not written yet."""
    url = reverse("practice:privacy_public", args=[cast.anna.practice_id])
    page = HttpClient().get(url)
    html = page.content.decode()
    assert page.status_code == 200
    assert "nog niet toegevoegd" in html
    assert "uitvoering van de (behandel)overeenkomst" in html
    assert "Twintig jaar na de laatste wijziging" in html


def test_portal_and_invitation_link_to_it(
    cast: Cast, as_user, django_capture_on_commit_callbacks
) -> None:
    as_user(cast.anna).post(reverse("practice:privacy_edit"), FORM)
    url = reverse("practice:privacy_public", args=[cast.anna.practice_id])
    portal = as_user(cast.bram).get(reverse("portal:home")).content.decode()
    assert url in portal
    with django_capture_on_commit_callbacks(execute=True):
        as_user(cast.anna).post(
            reverse("portal:invite", args=[cast.dossier.client_id]),
            {"email": "bram@example.nl"},
        )
    assert url in mail.outbox[-1].body
