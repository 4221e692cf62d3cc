"""Invitation and reset links work once and expire; a second visit says plainly, in
Dutch, that the link was already used (or has expired, or never worked)."""

import datetime

import pytest
from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core import mail
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone

from accounts.models import Invitation, portal_login_name
from consent.invitations import INVITATION_HOURS
from dossiers.models import Client
from portal.services import invitation_create
from tests.accounts.helpers import mailed_path
from tests.personas import Cast

NEW = "een nieuwe lange zin voor mij"


def client_link(cast: Cast) -> str:
    client = Client.objects.get(pk=cast.dossier.client_id)
    client.portal_user = None
    client.save(update_fields=["portal_user"])
    return invitation_create(
        actor=cast.anna, client=client, email="b@example.nl", base_url=""
    )[1]


def accept(link: str, username: str = "bram.dalen"):
    http = HttpClient()
    http.get(link)
    return http.post(
        reverse("portal:invitation_accept"),
        {"username": username, "password1": NEW, "password2": NEW},
    )


def text(response) -> str:
    return response.content.decode()


def test_a_used_invitation_says_it_was_already_used(cast: Cast) -> None:
    link = client_link(cast)
    assert accept(link).status_code == 302
    again = HttpClient().get(link, follow=True)
    assert again.status_code == 410
    assert "Deze uitnodiging is al gebruikt" in text(again)
    assert "Log dan in" in text(again)
    account = Client.objects.get(pk=cast.dossier.client_id).portal_user
    assert account.username == portal_login_name("bram.dalen")  # stored as digest (#26)


def test_an_invitation_lasts_at_most_72_hours(cast: Cast) -> None:
    link = client_link(cast)
    invitation = Invitation.objects.get()
    assert INVITATION_HOURS <= 72
    assert invitation.expires_at - invitation.created_at <= datetime.timedelta(
        hours=72, seconds=1
    )
    Invitation.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    late = HttpClient().get(link, follow=True)
    assert late.status_code == 410 and "Deze uitnodiging is verlopen" in text(late)


def test_a_new_invitation_ends_the_earlier_one(cast: Cast) -> None:
    first = client_link(cast)
    second = client_link(cast)
    assert "Deze uitnodiging is verlopen" in text(HttpClient().get(first, follow=True))
    assert accept(second).status_code == 302


def test_an_unknown_invitation_says_it_does_not_work() -> None:
    response = HttpClient().get(
        reverse("portal:invitation_open", args=["verzonnen"]), follow=True
    )
    assert response.status_code == 404
    assert "Deze uitnodiging werkt niet" in text(response)


def reset_link(cast: Cast) -> str:
    cast.anna.email = "anna@example.nl"
    cast.anna.save()
    HttpClient().post(reverse("accounts:password_reset"), {"email": "anna@example.nl"})
    return mailed_path(mail.outbox[-1], "/wachtwoord-vergeten/")


def use(link: str):
    http = HttpClient()
    form_url = http.get(link)["Location"]
    return http.post(form_url, {"new_password1": NEW, "new_password2": NEW})


def test_a_used_reset_link_says_it_was_already_used(cast: Cast) -> None:
    link = reset_link(cast)
    assert use(link).status_code == 302
    again = HttpClient().get(link, follow=True)
    assert again.status_code == 410
    assert "Deze link is al gebruikt" in text(again)
    second_try = use(link)
    assert second_try.status_code == 410


def test_two_tabs_cannot_both_use_one_reset_link(cast: Cast) -> None:
    link = reset_link(cast)
    one, two = HttpClient(), HttpClient()
    form_url = one.get(link)["Location"]
    two.get(link)
    assert (
        one.post(form_url, {"new_password1": NEW, "new_password2": NEW}).status_code
        == 302
    )
    other = "een andere lange zin voor mij"
    refused = two.post(form_url, {"new_password1": other, "new_password2": other})
    assert refused.status_code == 410 and "al gebruikt" in text(refused)
    cast.anna.refresh_from_db()
    assert cast.anna.check_password(NEW)


@pytest.mark.parametrize(("minutes", "works"), [(59, True), (61, False)])
def test_a_reset_link_works_one_hour(
    cast: Cast, monkeypatch, minutes: int, works: bool
) -> None:
    assert settings.PASSWORD_RESET_TIMEOUT == 60 * 60
    link = reset_link(cast)
    later = datetime.datetime.now() + datetime.timedelta(minutes=minutes)
    monkeypatch.setattr(PasswordResetTokenGenerator, "_now", lambda self: later)
    response = HttpClient().get(link, follow=True)
    if works:
        assert response.status_code == 200 and "new_password1" in text(response)
    else:
        assert response.status_code == 410
        assert "Deze link is verlopen" in text(response)


def test_a_made_up_reset_link_says_it_does_not_work(cast: Cast) -> None:
    response = HttpClient().get(
        reverse("accounts:password_reset_confirm", args=["MQ", "abc-def"]), follow=True
    )
    assert response.status_code == 404 and "Deze link werkt niet" in text(response)
