"""Reset and invitation mails: at most three an hour per address and per account, with
the same outward answer whether a mail went out or not; each held-back mail is logged."""

import datetime
import re

from django.core import mail
from django.db.models import F
from django.test import Client as HttpClient
from django.urls import reverse

from accounts.models import MailSent
from audit.models import AccessEvent
from dossiers.models import Client
from tests.personas import Cast

LIMIT = 3


def ask(email: str):
    return HttpClient().post(reverse("accounts:password_reset"), {"email": email})


def an_hour_passes() -> None:
    MailSent.objects.update(sent_at=F("sent_at") - datetime.timedelta(minutes=61))


def same_answer(responses) -> None:
    assert {(r.status_code, r["Location"]) for r in responses} == {
        (302, reverse("accounts:password_reset_done"))
    }


def test_reset_mails_per_address_stop_at_three_with_the_same_answer(
    cast: Cast,
) -> None:
    cast.anna.email = "anna@example.nl"
    cast.anna.save()
    responses = [ask("anna@example.nl") for _ in range(5)]
    same_answer([*responses, ask("niemand@example.nl")])
    assert len(mail.outbox) == LIMIT
    assert AccessEvent.objects.filter(event_type="password.reset_limited").count() == 2
    an_hour_passes()
    ask("anna@example.nl")
    assert len(mail.outbox) == LIMIT + 1


def test_two_accounts_on_one_address_share_its_limit(cast: Cast) -> None:
    for user in (cast.anna, cast.carla):
        user.email = "gedeeld@example.nl"
        user.save()
    for _ in range(3):
        ask("gedeeld@example.nl")
    assert len(mail.outbox) == LIMIT


def test_reset_mails_per_account_stop_at_three_across_addresses(cast: Cast) -> None:
    for number in range(LIMIT + 1):
        cast.anna.email = f"anna{number}@example.nl"
        cast.anna.save()
        ask(f"anna{number}@example.nl")
    assert [m.to for m in mail.outbox] == [
        [f"anna{n}@example.nl"] for n in range(LIMIT)
    ]


def invite(http: HttpClient, client: Client, email: str):
    return http.post(reverse("portal:invite", args=[client.pk]), {"email": email})


def page_text(response) -> str:
    html = re.sub(
        r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode()
    )
    return re.sub(r'nonce="[^"]+"', "", html)


def test_invitation_mails_stop_at_three_with_the_same_page(
    cast: Cast, as_user, django_capture_on_commit_callbacks
) -> None:
    client = Client.objects.get(pk=cast.dossier.client_id)
    http = as_user(cast.anna)
    pages = []
    for _ in range(LIMIT + 1):
        with django_capture_on_commit_callbacks(execute=True):
            pages.append(invite(http, client, "bram@example.nl"))
    assert len(mail.outbox) == LIMIT
    assert len({page_text(p) for p in pages}) == 1  # the fourth looks like the rest
    assert all(p.context["sent"] for p in pages)
    assert AccessEvent.objects.filter(event_type="invitation.limited").count() == 1


def test_invitation_mails_per_client_stop_across_addresses(
    cast: Cast, as_user, django_capture_on_commit_callbacks
) -> None:
    client = Client.objects.get(pk=cast.dossier.client_id)
    http = as_user(cast.anna)
    with django_capture_on_commit_callbacks(execute=True):
        for number in range(LIMIT + 1):
            invite(http, client, f"bram{number}@example.nl")
    assert len(mail.outbox) == LIMIT


def test_the_limit_table_holds_no_address(cast: Cast) -> None:
    cast.anna.email = "anna@example.nl"
    cast.anna.save()
    ask("anna@example.nl")
    assert "anna@example.nl" not in str(list(MailSent.objects.values()))
