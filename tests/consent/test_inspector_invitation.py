"""An inspector is invited like a client: the zorgverlener makes the account and the
mandate, the inspector chooses the password through a single-use link (and then a
second factor). The zorgverlener never sees or sets it; the mandate's window still
decides when the account works, and the link ends with the mandate."""

import datetime

from django.core import mail
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone

from accounts.models import Invitation, User
from consent.models import InspectorMandate
from tests.accounts.helpers import mailed_path, password_login
from tests.personas import Cast

CHOSEN = "inspecteur kiest zelf een zin"


def mandate_form(start: datetime.datetime, days: int = 14) -> dict[str, str]:
    return {
        "username": "igj.iris",
        "name": "Iris de Inspecteur",
        "email": "iris@igj.example.nl",
        "case_reference": "IGJ-2026-77",
        "valid_from": start.strftime("%Y-%m-%dT%H:%M"),
        "valid_until": (start + datetime.timedelta(days=days)).strftime(
            "%Y-%m-%dT%H:%M"
        ),
        "all_clients": "on",
    }


def create(as_user, cast: Cast, on_commit, start=None, days: int = 14):
    start = start or timezone.localtime().replace(second=0, microsecond=0)
    http = as_user(cast.anna)
    with on_commit(execute=True):
        response = http.post(
            reverse("consent:mandate_list"), mandate_form(start, days), follow=True
        )
    assert response.status_code == 200
    return http, response


def choose_password(link: str) -> HttpClient:
    http = HttpClient()
    page = http.get(link, follow=True)
    assert "igj.iris" in page.content.decode()  # the username is shown, not asked
    http.post(
        reverse("portal:invitation_accept"), {"password1": CHOSEN, "password2": CHOSEN}
    )
    return http


def test_the_zorgverlener_never_sees_or_sets_the_password(
    cast: Cast, as_user, django_capture_on_commit_callbacks
) -> None:
    _http, response = create(as_user, cast, django_capture_on_commit_callbacks)
    inspector = User.objects.get(username="igj.iris")
    assert inspector.role == "inspecteur" and not inspector.has_usable_password()
    html = response.content.decode()
    assert "Eenmalig wachtwoord" not in html and "uitgenodigd" in html
    assert "password" not in response.context
    (message,) = mail.outbox
    assert message.to == ["iris@igj.example.nl"]
    assert "igj.iris" in message.body and "kies" in message.body
    link = mailed_path(message, "/uitnodiging/")
    assert link not in html
    after = choose_password(link)
    inspector.refresh_from_db()
    assert inspector.check_password(CHOSEN)
    assert after.get(reverse("dossiers:client_list"))["Location"] == reverse(
        "accounts:otp_setup"
    )  # signed in with the password; the second factor comes next


def test_the_mandate_still_decides_when_the_account_works(
    cast: Cast, as_user, django_capture_on_commit_callbacks
) -> None:
    tomorrow = timezone.localtime().replace(second=0, microsecond=0) + (
        datetime.timedelta(days=1)
    )
    create(as_user, cast, django_capture_on_commit_callbacks, start=tomorrow)
    link = mailed_path(mail.outbox[-1], "/uitnodiging/")
    http = HttpClient()
    http.get(link)
    done = http.post(
        reverse("portal:invitation_accept"), {"password1": CHOSEN, "password2": CHOSEN}
    )
    assert done["Location"] == reverse(
        "accounts:login"
    )  # not signed in before it starts
    assert User.objects.get(username="igj.iris").check_password(CHOSEN)
    refused = password_login(HttpClient(), "igj.iris", CHOSEN)
    assert refused.status_code == 200  # the backend refuses outside the window
    InspectorMandate.objects.update(
        valid_from=timezone.now() - datetime.timedelta(minutes=1)
    )
    assert password_login(HttpClient(), "igj.iris", CHOSEN).status_code == 302


def test_the_link_ends_with_the_mandate_and_at_72_hours(
    cast: Cast, as_user, django_capture_on_commit_callbacks
) -> None:
    start = timezone.localtime().replace(second=0, microsecond=0)
    create(as_user, cast, django_capture_on_commit_callbacks, start=start, days=1)
    invitation = Invitation.objects.get()
    mandate = InspectorMandate.objects.get()
    assert invitation.expires_at == mandate.valid_until
    assert invitation.expires_at - invitation.created_at <= datetime.timedelta(hours=72)


def test_no_reset_mail_before_the_inspector_chose_a_password(
    cast: Cast, as_user, django_capture_on_commit_callbacks
) -> None:
    create(as_user, cast, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    HttpClient().post(
        reverse("accounts:password_reset"), {"email": "iris@igj.example.nl"}
    )
    assert mail.outbox == []


def test_invite_again_ends_the_old_link_and_stops_once_chosen(
    cast: Cast, as_user, django_capture_on_commit_callbacks
) -> None:
    http, _response = create(as_user, cast, django_capture_on_commit_callbacks)
    old = mailed_path(mail.outbox[-1], "/uitnodiging/")
    mandate = InspectorMandate.objects.get()
    again_url = reverse("consent:mandate_invite", args=[mandate.pk])
    with django_capture_on_commit_callbacks(execute=True):
        assert http.post(again_url).status_code == 302
    assert len(mail.outbox) == 2
    new = mailed_path(mail.outbox[-1], "/uitnodiging/")
    assert "verlopen" in HttpClient().get(old, follow=True).content.decode()
    choose_password(new)
    with django_capture_on_commit_callbacks(execute=True):
        http.post(again_url)
    assert len(mail.outbox) == 2  # a chosen password is never reset this way
    page = http.get(reverse("consent:mandate_list")).content.decode()
    assert "wachtwoord gekozen" in page


def test_another_practice_cannot_reinvite_the_inspector(
    cast: Cast, as_user, django_capture_on_commit_callbacks
) -> None:
    create(as_user, cast, django_capture_on_commit_callbacks)
    mandate = InspectorMandate.objects.get()
    carla = as_user(cast.carla)
    response = carla.post(reverse("consent:mandate_invite", args=[mandate.pk]))
    assert response.status_code == 404
