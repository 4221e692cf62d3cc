"""The zorgverlener invites a representative like a client: one link, once, and an account
of their own with their own password and second factor."""

from __future__ import annotations

import re

from django.core import mail
from django.test import Client as HttpClient
from django.urls import reverse

from accounts.models import portal_login_name
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
    assert response.status_code == 302  # the link goes by e-mail only, never on screen
    assert "/uitnodiging/" not in anna.get(response["Location"]).content.decode()
    body = mail.outbox[-1].body
    assert "vertegenwoordiger" in body
    assert "Dalen" not in body and "Bram" not in body  # no client's name in an e-mail
    return _path(body)


def _path(body: str) -> str:
    link = re.search(r"https?://\S+/uitnodiging/\S+/", body).group(0)  # type: ignore[union-attr]
    return re.sub(r"^https?://[^/]+", "", link)


def _accept(http: HttpClient, path: str, username: str) -> object:
    http.get(path)  # the token goes into the session and leaves the URL
    return http.post(
        reverse("portal:invitation_accept"),
        {"username": username, "password1": PASSWORD, "password2": PASSWORD},
    )


def test_the_representative_gets_an_own_account_once(
    cast: Cast, django_capture_on_commit_callbacks
) -> None:
    found = representation(
        cast, Client.objects.get(pk=cast.dossier.client_id), None, kind="curator"
    )
    path = _invite(cast, found, django_capture_on_commit_callbacks)
    http = HttpClient()
    response = _accept(http, path, "gerrit")
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:otp_setup")  # own second factor
    found.refresh_from_db()
    user = found.user
    assert user.username == portal_login_name("gerrit") and user.role == "client"
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
    again = _accept(HttpClient(), path, "tweede")
    assert again.status_code == 410  # "Deze uitnodiging is al gebruikt"
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


def test_a_signed_in_client_links_the_representation_to_the_same_account(
    cast: Cast, django_capture_on_commit_callbacks
) -> None:
    """A client who is also a parent keeps one account: opened while signed in (both
    steps), the invitation links the representation to it; the choice page then offers
    the own record and the child's."""
    from tests.personas import register_client_with_dossier
    from tests.world import until_sixteen, years_ago

    born = years_ago(9)
    child = register_client_with_dossier(
        cast.anna, family_name="Dalen", given_names="Kim", date_of_birth=born
    )
    found = representation(
        cast,
        Client.objects.get(pk=child.client_id),
        None,
        kind="ouder",
        name="Bram Dalen",
        document_kind="gezag",
        valid_until=until_sixteen(born),
    )
    anna = verified_login(HttpClient(), cast.anna)
    url = reverse("consent:representation_invite", args=[child.pk, found.pk])
    with django_capture_on_commit_callbacks(execute=True):
        anna.post(url, {"email": "bram@example.nl"})
    path = _path(mail.outbox[-1].body)
    bram = verified_login(HttpClient(), cast.bram)
    page = bram.get(path, follow=True)
    assert "Koppelen aan mijn account" in page.content.decode()
    linked = bram.post(reverse("portal:invitation_accept"))
    assert linked.status_code == 302 and linked["Location"] == reverse("portal:choose")
    found.refresh_from_db()
    assert found.user_id == cast.bram.pk
    choices = bram.get(reverse("portal:choose")).context["choices"]
    assert {a.basis for a in choices} == {Basis.SELF, Basis.REPRESENTATIVE}
    bram.get(path)
    assert bram.post(reverse("portal:invitation_accept")).status_code == 410  # used
