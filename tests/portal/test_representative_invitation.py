"""The zorgverlener invites a representative like a client: one link, once, and an account
of their own with their own password and second factor."""

from __future__ import annotations

import re

from django.core import mail
from django.test import Client as HttpClient
from django.urls import reverse

from audit.models import AccessEvent, Basis
from consent.models import Representation
from dossiers.models import Client
from tests.personas import Cast, make_user, verified_login
from tests.world import representation

PASSWORD = "een lange zin voor de vertegenwoordiger"


def _invite(cast: Cast, found: Representation, on_commit) -> str:
    anna = verified_login(HttpClient(), cast.anna)
    url = reverse("consent:representation_invite", args=[cast.dossier.pk, found.pk])
    with on_commit(execute=True):
        response = anna.post(url, {"email": "gerrit@example.nl"})
    assert response.status_code == 200
    link = response.context["link"]
    body = mail.outbox[-1].body
    assert link in body and "vertegenwoordiger" in body
    assert "Dalen" not in body and "Bram" not in body  # no client's name in an e-mail
    return re.sub(r"^https?://[^/]+", "", link)


def test_the_representative_gets_an_own_account_once(
    cast: Cast, django_capture_on_commit_callbacks
) -> None:
    found = representation(
        cast, Client.objects.get(pk=cast.dossier.client_id), None, kind="curator"
    )
    path = _invite(cast, found, django_capture_on_commit_callbacks)
    http = HttpClient()
    response = http.post(
        path, {"username": "gerrit", "password1": PASSWORD, "password2": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:otp_setup")  # own second factor
    found.refresh_from_db()
    user = found.user
    assert user.username == "gerrit" and user.role == "client"
    assert user.display_name == "Gerrit Gemachtigd" and user.check_password(PASSWORD)
    assert user.contact_email == "gerrit@example.nl"
    assert user.key_ref != Client.objects.get(pk=cast.dossier.client_id).key_ref
    assert Client.objects.get(pk=cast.dossier.client_id).portal_user_id == cast.bram.pk
    accepted = AccessEvent.objects.get(event_type="invitation.accept")
    assert (accepted.actor_id, accepted.basis, accepted.basis_ref) == (
        user.pk,
        Basis.REPRESENTATIVE,
        str(found.pk),
    )
    again = HttpClient().post(
        path, {"username": "tweede", "password1": PASSWORD, "password2": PASSWORD}
    )
    assert again.status_code == 404
    page = verified_login(HttpClient(), user).get(reverse("portal:home"))
    assert page.status_code == 200 and page.context["dossier"].pk == cast.dossier.pk


def test_no_second_invitation_once_the_representative_has_an_account(
    cast: Cast,
) -> None:
    rita = make_user("rita", "client", None, name="Rita Mentor")
    found = representation(cast, Client.objects.get(pk=cast.dossier.client_id), rita)
    anna = verified_login(HttpClient(), cast.anna)
    url = reverse("consent:representation_invite", args=[cast.dossier.pk, found.pk])
    response = anna.post(url, {"email": "x@example.nl"})
    assert response.status_code == 200 and response.context["form"] is None
    assert not mail.outbox
