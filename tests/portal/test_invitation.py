"""The portal invitation: a single-use link that expires after 72 hours; the zorgverlener
sees that it was sent, never the link itself."""

import datetime
import re

from django.contrib.auth import authenticate
from django.core import mail
from django.test import Client as HttpClient
from django.test import RequestFactory
from django.urls import reverse

from accounts.models import Invitation, portal_login_name
from dossiers.models import Client
from tests.personas import Cast


def invite(cast: Cast, as_user, on_commit) -> str:
    client = Client.objects.get(pk=cast.dossier.client_id)
    with on_commit(execute=True):  # the e-mail goes out after the commit
        response = as_user(cast.anna).post(
            reverse("portal:invite", args=[client.pk]), {"email": "nieuw@example.nl"}
        )
    assert response.status_code == 200 and response.context["sent"]
    link = re.search(r"https?://\S+/uitnodiging/\S+/", mail.outbox[0].body).group(0)
    assert link not in response.content.decode()  # the zorgverlener never sees it
    return re.sub(r"^https?://[^/]+", "", link)


def accept(path: str, username: str = "brampje") -> object:
    password = "een lange zin voor het portaal"
    http = HttpClient()
    http.get(path)
    return http.post(
        reverse("portal:invitation_accept"),
        {"username": username, "password1": password, "password2": password},
    )


def test_the_link_creates_a_portal_account_once(
    cast: Cast, as_user, django_capture_on_commit_callbacks
) -> None:
    Client.objects.filter(pk=cast.dossier.client_id).update(portal_user=None)
    path = invite(cast, as_user, django_capture_on_commit_callbacks)
    response = accept(path)
    assert response.status_code == 302 and response["Location"] == reverse(
        "accounts:otp_setup"
    )
    client = Client.objects.get(pk=cast.dossier.client_id)
    account = client.portal_user
    # Stored as a keyed digest (#26), never as the name the client chose ...
    assert account.username == portal_login_name("brampje") != "brampje"
    assert account.role == "client" and not account.first_name + account.last_name
    # ... and the client signs in with that name all the same.
    signed_in = authenticate(
        RequestFactory().post("/"),
        username="brampje",
        password="een lange zin voor het portaal",
    )
    assert signed_in == account
    again = accept(path, username="tweede")
    assert again.status_code == 410
    assert "Deze uitnodiging is al gebruikt" in again.content.decode()


def test_the_link_expires_after_72_hours(
    cast: Cast, as_user, django_capture_on_commit_callbacks
) -> None:
    path = invite(cast, as_user, django_capture_on_commit_callbacks)
    invitation = Invitation.objects.get()
    assert invitation.expires_at - invitation.created_at <= datetime.timedelta(
        hours=72, seconds=1
    )
    Invitation.objects.update(expires_at=invitation.created_at)
    response = HttpClient().get(path, follow=True)
    assert response.status_code == 410
    assert "Deze uitnodiging is verlopen" in response.content.decode()


def test_only_a_hash_of_the_token_is_stored(
    cast: Cast, as_user, django_capture_on_commit_callbacks
) -> None:
    path = invite(cast, as_user, django_capture_on_commit_callbacks)
    token = path.rstrip("/").rsplit("/", 1)[1]
    assert Invitation.objects.get().token_hash != token
    assert token not in str(list(Invitation.objects.values()))


def test_a_weak_password_is_refused_in_dutch(
    cast: Cast, as_user, django_capture_on_commit_callbacks
) -> None:
    path = invite(cast, as_user, django_capture_on_commit_callbacks)
    http = HttpClient()
    http.get(path)
    response = http.post(
        reverse("portal:invitation_accept"),
        {"username": "x", "password1": "Welkom01!", "password2": "Welkom01!"},
    )
    assert response.status_code == 200
    assert "Dit wachtwoord komt te veel voor" in str(
        response.context["form"].errors["password1"]
    )
