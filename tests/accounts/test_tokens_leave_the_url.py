"""Invitation and reset tokens leave the URL on the link's first visit: the token goes
into the session (an invitation's only as its hash) and the browser is redirected to a
page without it, so it is in no later URL, page, Referer or access-log line."""

import hashlib

from django.core import mail
from django.test import Client as HttpClient
from django.urls import reverse

from accounts import reset
from audit.models import AccessEvent
from consent import invitations
from dossiers.models import Client
from portal.services import invitation_create
from tests.accounts.helpers import mailed_path
from tests.personas import Cast


def invitation_token(cast: Cast) -> str:
    client = Client.objects.get(pk=cast.dossier.client_id)
    client.portal_user = None
    client.save(update_fields=["portal_user"])
    _invitation, link = invitation_create(
        actor=cast.anna, client=client, email="b@example.nl", base_url=""
    )
    return link.rstrip("/").rsplit("/", 1)[1]


def test_the_invitation_token_moves_into_the_session_as_a_hash(cast: Cast) -> None:
    token = invitation_token(cast)
    http = HttpClient()
    first = http.get(reverse("portal:invitation_open", args=[token]))
    assert first.status_code == 302
    assert first["Location"] == reverse("portal:invitation_accept") == "/uitnodiging/"
    assert first["Referrer-Policy"] == "same-origin"
    page = http.get(first["Location"], HTTP_REFERER="http://testserver/uitnodiging/")
    assert page.status_code == 200 and token not in page.content.decode()
    session = dict(http.session.items())
    assert (
        session[invitations.SESSION_KEY] == hashlib.sha256(token.encode()).hexdigest()
    )
    assert token not in str(session)
    password = "een lange zin voor het portaal"
    done = http.post(
        reverse("portal:invitation_accept"),
        {"username": "bram.dalen", "password1": password, "password2": password},
    )
    assert done.status_code == 302
    assert invitations.SESSION_KEY not in http.session
    assert token not in str(list(AccessEvent.objects.values()))


def test_without_the_session_the_token_free_page_has_nothing(cast: Cast) -> None:
    token = invitation_token(cast)
    HttpClient().get(reverse("portal:invitation_open", args=[token]))
    stranger = HttpClient().get(reverse("portal:invitation_accept"))
    assert stranger.status_code == 404
    assert "Deze uitnodiging werkt niet" in stranger.content.decode()


def test_the_reset_token_and_uid_move_into_the_session(cast: Cast) -> None:
    cast.anna.email = "anna@example.nl"
    cast.anna.save()
    http = HttpClient()
    http.post(reverse("accounts:password_reset"), {"email": "anna@example.nl"})
    link = mailed_path(mail.outbox[-1], "/wachtwoord-vergeten/")
    uidb64, token = link.strip("/").split("/")[-2:]
    first = http.get(link)
    assert first.status_code == 302
    assert first["Location"] == reverse("accounts:password_reset_new")
    assert token not in first["Location"] and uidb64 not in first["Location"]
    page = http.get(first["Location"])
    assert page.status_code == 200
    assert token not in page.content.decode()
    assert http.session[reset.SESSION_KEY] == [uidb64, token]
    new = "een nieuwe lange zin voor mij"
    done = http.post(first["Location"], {"new_password1": new, "new_password2": new})
    assert done.status_code == 302 and done["Location"] == reverse("accounts:login")
    assert reset.SESSION_KEY not in http.session  # gone once used
    assert token not in str(list(AccessEvent.objects.values()))
