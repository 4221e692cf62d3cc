"""Password reset: reveals nothing about accounts; the link works once and expires."""

import re

from django.core import mail
from django.test import Client as HttpClient
from django.test import override_settings
from django.urls import reverse

from tests.personas import Cast


def ask(email: str):
    return HttpClient().post(reverse("accounts:password_reset"), {"email": email})


def test_known_and_unknown_addresses_get_the_same_answer(cast: Cast) -> None:
    cast.anna.email = "anna@example.nl"
    cast.anna.save()
    known, unknown = ask("anna@example.nl"), ask("niemand@example.nl")
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert len(mail.outbox) == 1


def reset_link(cast: Cast) -> str:
    cast.anna.email = "anna@example.nl"
    cast.anna.save()
    ask("anna@example.nl")
    return re.search(r"http://testserver(\S+)", mail.outbox[-1].body).group(1)


def test_the_link_works_once(cast: Cast) -> None:
    link = reset_link(cast)
    http = HttpClient()
    form_url = http.get(link)["Location"]
    new = "een nieuwe lange zin voor mij"
    assert (
        http.post(form_url, {"new_password1": new, "new_password2": new}).status_code
        == 302
    )
    again = HttpClient().get(link, follow=True)
    assert again.status_code == 410
    assert "Deze link is al gebruikt" in again.content.decode()


def test_an_expired_link_is_refused(cast: Cast) -> None:
    link = reset_link(cast)
    with override_settings(PASSWORD_RESET_TIMEOUT=-1):
        response = HttpClient().get(link, follow=True)
    assert response.status_code == 410
    assert "Deze link is verlopen" in response.content.decode()


def test_after_a_reset_the_second_factor_is_still_asked(cast: Cast) -> None:
    from tests.accounts.helpers import device_for, password_login

    device_for(cast.anna)
    link = reset_link(cast)
    http = HttpClient()
    form_url = http.get(link)["Location"]
    new = "een nieuwe lange zin voor mij"
    http.post(form_url, {"new_password1": new, "new_password2": new})
    password_login(http, "anna", new)
    assert http.get(reverse("dossiers:client_list"))["Location"] == reverse(
        "accounts:otp_verify"
    )
