"""A colleague of another praktijk without an account is invited like a client: the
zorgverlener names them, the colleague chooses the password through a single-use link
(and then a second factor). Access to a dossier still comes only from a grant."""

import datetime

from django.core import mail
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from consent.models import AccessGrant
from tests.accounts.helpers import mailed_path
from tests.personas import Cast, verified_login

CHOSEN = "mijn eigen zin voor het werk"  # not her praktijk's name (refused)
FORM = {
    "name": "Eva Vervanger",
    "email": "eva@vervanging.example.nl",
    "username": "eva.vervanger",
    "agb_code": "87654321",
    "practice_name": "",
}


def invite(http: HttpClient, on_commit, **changes: str):
    with on_commit(execute=True):
        return http.post(reverse("consent:colleague_invite"), {**FORM, **changes})


def test_the_colleague_chooses_the_password_and_gets_a_praktijk_of_their_own(
    cast: Cast, as_user, django_capture_on_commit_callbacks
) -> None:
    http = as_user(cast.anna)
    response = invite(http, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    eva = User.objects.get(username="eva.vervanger")
    assert eva.role == "zorgverlener" and not eva.has_usable_password()
    assert eva.practice_id != cast.anna.practice_id
    assert eva.practice.name == "Praktijk Eva Vervanger" and eva.agb_code == "87654321"
    (message,) = mail.outbox
    assert message.to == ["eva@vervanging.example.nl"]
    assert "eva.vervanger" in message.body
    link = mailed_path(message, "/uitnodiging/")
    page = http.get(reverse("consent:colleague_invite"))
    assert link not in page.content.decode()
    assert "eva.vervanger" in page.content.decode()  # the message names the username

    colleague = HttpClient()
    colleague.get(link)
    done = colleague.post(
        reverse("portal:invitation_accept"), {"password1": CHOSEN, "password2": CHOSEN}
    )
    assert done["Location"] == reverse("accounts:otp_setup")
    eva.refresh_from_db()
    assert eva.check_password(CHOSEN)


def test_access_still_needs_a_grant_with_consent(
    cast: Cast, as_user, django_capture_on_commit_callbacks
) -> None:
    http = as_user(cast.anna)
    invite(http, django_capture_on_commit_callbacks)
    eva = User.objects.get(username="eva.vervanger")
    detail = reverse("dossiers:dossier_detail", args=[cast.dossier.pk])
    assert verified_login(HttpClient(), eva).get(detail).status_code == 404
    today = timezone.localdate()
    granted = http.post(
        reverse("consent:grant_list", args=[cast.dossier.pk]),
        {
            "colleague_ref": "eva.vervanger",
            "valid_from": today.isoformat(),
            "valid_until": (today + datetime.timedelta(days=14)).isoformat(),
            "consent_given_on": today.isoformat(),
            "consent_method": "schriftelijk",
        },
    )
    assert granted.status_code == 302
    assert AccessGrant.objects.filter(colleague=eva).exists()
    assert verified_login(HttpClient(), eva).get(detail).status_code == 200


def test_the_form_checks_username_and_agb_code_in_dutch(
    cast: Cast, as_user, django_capture_on_commit_callbacks
) -> None:
    http = as_user(cast.anna)
    response = invite(
        http,
        django_capture_on_commit_callbacks,
        username="eva vervanger!",
        agb_code="12",
    )
    errors = response.context["form"].errors
    assert "alleen uit letters, cijfers" in str(errors["username"])
    assert "precies 8 cijfers" in str(errors["agb_code"])
    assert 'value="Eva Vervanger"' in response.content.decode()  # what was typed stays
    taken = invite(http, django_capture_on_commit_callbacks, username="anna")
    assert "al in gebruik" in str(taken.context["form"].errors["username"])
    assert mail.outbox == [] and not User.objects.filter(agb_code="87654321").exists()


def test_the_grant_page_points_to_the_invitation(cast: Cast, as_user) -> None:
    page = as_user(cast.anna).get(reverse("consent:grant_list", args=[cast.dossier.pk]))
    assert reverse("consent:colleague_invite") in page.content.decode()
