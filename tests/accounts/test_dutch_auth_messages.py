"""Every sign-in form speaks Dutch, also Django's own password checks and for a browser
that asks for English; after an error the form keeps what was typed, except passwords."""

import re

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client as HttpClient
from django.urls import reverse

from dossiers.models import Client
from portal.services import invitation_create
from tests.personas import PASSWORD, Cast, verified_login

ENGLISH = re.compile(
    r"\b(this|the|password|must|enter|field|required|too|characters?|didn|match|"
    r"similar|common|numeric|valid|correct)\b",
    re.IGNORECASE,
)
# Each of Django's validators, and ours, has a password that trips it.
WEAK = {
    "1234567890123": "Dit wachtwoord bevat alleen cijfers.",
    "kort": "Dit wachtwoord is te kort: gebruik minstens 12 tekens.",
    "password1234": "Dit wachtwoord komt te veel voor",
    "welkom2026": "Dit wachtwoord komt te veel voor",
}


def english_in(form) -> list[str]:
    messages = [str(m) for errors in form.errors.values() for m in errors]
    return [m for m in messages if ENGLISH.search(m)]


def browser() -> HttpClient:
    return HttpClient(HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")


def no_typed_password(html: str) -> None:
    for tag in re.findall(r"<input[^>]+type=\"password\"[^>]*>", html):
        assert "value=" not in tag, tag


def test_the_language_is_dutch_whatever_the_browser_asks() -> None:
    assert settings.LANGUAGE_CODE == "nl"
    assert [code for code, _name in settings.LANGUAGES] == ["nl"]
    response = browser().get(reverse("accounts:login"))
    assert response["Content-Language"] == "nl"


def test_login_errors_are_dutch_and_the_username_stays(cast: Cast) -> None:
    response = browser().post(
        reverse("accounts:login"), {"username": "anna", "password": "niet goed"}
    )
    form = response.context["form"]
    assert "Voer een juiste gebruikersnaam en wachtwoord in" in str(form.errors)
    assert not english_in(form)
    html = response.content.decode()
    assert 'value="anna"' in html and "niet goed" not in html
    no_typed_password(html)
    empty = browser().post(reverse("accounts:login"), {})
    assert "Dit veld is verplicht." in str(empty.context["form"].errors)
    assert not english_in(empty.context["form"])


def test_reset_request_errors_are_dutch_and_the_address_stays() -> None:
    response = browser().post(reverse("accounts:password_reset"), {"email": "anna@"})
    form = response.context["form"]
    assert str(form.errors["email"][0]) == "Voer een geldig e-mailadres in."
    assert 'value="anna@"' in response.content.decode()


@pytest.mark.parametrize(("password", "message"), WEAK.items())
def test_new_password_after_a_reset_is_checked_in_dutch(
    cast: Cast, password: str, message: str
) -> None:
    cast.anna.email = "anna@example.nl"
    cast.anna.save()
    http = browser()
    http.post(reverse("accounts:password_reset"), {"email": "anna@example.nl"})
    link = re.search(r"http://testserver(\S+)", mail.outbox[-1].body).group(1)
    form_url = http.get(link)["Location"]
    response = http.post(
        form_url, {"new_password1": password, "new_password2": password}
    )
    form = response.context["form"]
    assert message in str(form.errors)
    assert not english_in(form)
    no_typed_password(response.content.decode())
    mismatch = http.post(
        form_url, {"new_password1": "een lange zin", "new_password2": "een andere"}
    )
    assert "De twee wachtwoordvelden komen niet overeen." in str(
        mismatch.context["form"].errors
    )


@pytest.mark.parametrize(("password", "message"), WEAK.items())
def test_the_invitation_form_is_dutch_and_keeps_the_username(
    cast: Cast, password: str, message: str
) -> None:
    client = Client.objects.get(pk=cast.dossier.client_id)
    client.portal_user = None
    client.save(update_fields=["portal_user"])
    _invitation, link = invitation_create(
        actor=cast.anna, client=client, email="b@example.nl", base_url=""
    )
    http = browser()
    http.get(link)
    response = http.post(
        reverse("portal:invitation_accept"),
        {"username": "bram.dalen", "password1": password, "password2": password},
    )
    form = response.context["form"]
    assert message in str(form.errors)
    assert not english_in(form)
    html = response.content.decode()
    assert 'value="bram.dalen"' in html
    no_typed_password(html)
    similar = http.post(
        reverse("portal:invitation_accept"),
        {
            "username": "bramdalen1950",
            "password1": "bramdalen1950!",
            "password2": "bramdalen1950!",
        },
    )
    assert "Het wachtwoord lijkt te veel op de gebruikersnaam." in str(
        similar.context["form"].errors
    )


@pytest.mark.parametrize(("password", "message"), WEAK.items())
def test_change_password_errors_are_dutch(
    cast: Cast, password: str, message: str
) -> None:
    http = verified_login(browser(), cast.anna)
    response = http.post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": password,
            "new_password2": password,
        },
    )
    form = response.context["form"]
    assert message in str(form.errors)
    assert not english_in(form)
    no_typed_password(response.content.decode())
    wrong_old = http.post(
        reverse("accounts:password_change"),
        {
            "old_password": "fout",
            "new_password1": "een lange zin voor later",
            "new_password2": "een lange zin voor later",
        },
    )
    assert "Uw oude wachtwoord is niet juist ingevoerd." in str(
        wrong_old.context["form"].errors
    )


def test_the_help_texts_are_dutch(cast: Cast) -> None:
    http = verified_login(browser(), cast.anna)
    html = http.get(reverse("accounts:password_change")).content.decode()
    assert "Uw wachtwoord moet minstens 12 tekens lang zijn." in html
    assert "Your password" not in html
