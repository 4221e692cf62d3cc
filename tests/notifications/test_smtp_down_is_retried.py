"""The mail server is away: nothing is lost, each mail waits and is tried again after a
growing pause, and goes out once the server is back."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from notifications.delivery import deliver_due, pause_after
from notifications.models import Notification, Status
from portal.services import request_file
from practice.models import RoutineRun
from tests.notifications.conftest import ADDRESSES, eventually, give_addresses
from tests.personas import make_cast, owner_access


def file(cast) -> None:
    request_file(
        access=owner_access(cast.dossier), actor=cast.bram, kind="bezwaar", reason="x"
    )


def test_pauses_grow_to_an_hour() -> None:
    minutes = [pause_after(n) / datetime.timedelta(minutes=1) for n in range(1, 10)]
    assert minutes == [1, 2, 4, 8, 16, 32, 60, 60, 60]


def test_a_mail_waits_while_the_server_is_down_and_goes_when_it_is_back(
    people, smtp
) -> None:
    smtp.stop()
    file(people)
    now = timezone.now()
    result = deliver_due(now=now)
    assert (result.sent, result.failed) == (0, 1)
    row = Notification.objects.get()
    assert (row.status, row.attempts) == (Status.PENDING, 1)
    assert row.last_error == "ConnectionRefusedError"
    assert row.next_attempt_at == now + datetime.timedelta(minutes=1)
    # not due yet: nothing is tried
    assert deliver_due(now=now + datetime.timedelta(seconds=30)).failed == 0
    # still down a minute later: the pause doubles
    later = now + datetime.timedelta(minutes=1)
    assert deliver_due(now=later).failed == 1
    row.refresh_from_db()
    assert row.attempts == 2
    assert row.next_attempt_at == later + datetime.timedelta(minutes=2)
    smtp.start()
    assert deliver_due(now=later + datetime.timedelta(minutes=1)).sent == 0  # waiting
    assert deliver_due(now=later + datetime.timedelta(minutes=2)).sent == 1
    (mail,) = smtp.inbox.messages
    assert mail["X-Envelope-To"] == ADDRESSES["anna"]
    assert Notification.objects.get().status == Status.SENT


def test_a_refused_recipient_waits_without_holding_up_the_others(people, smtp) -> None:
    """The server refuses one address (550): that mail waits, the others go."""
    from notifications.services import enqueue

    async def refuse_bram(server, session, envelope, address, rcpt_options):
        if address == ADDRESSES["bram"]:
            return "550 no such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    smtp.inbox.handle_RCPT = refuse_bram
    smtp.stop()
    smtp.start()
    enqueue([people.bram], "request_decided")
    enqueue([people.anna], "request_filed")
    result = deliver_due()
    assert (result.sent, result.failed) == (1, 1)
    assert [m["X-Envelope-To"] for m in smtp.inbox.messages] == [ADDRESSES["anna"]]
    waiting = Notification.objects.get(status=Status.PENDING)
    assert (waiting.recipient_id, waiting.last_error) == (
        people.bram.pk,
        "SMTPRecipientsRefused",
    )


def test_the_daily_routine_fails_when_mail_has_waited_a_day(people, smtp) -> None:
    smtp.stop()
    file(people)
    Notification.objects.update(
        created_at=timezone.now() - datetime.timedelta(days=1, minutes=1)
    )
    with pytest.raises(Exception, match="langer dan een dag"):
        call_command("notify_deadlines")
    run = RoutineRun.objects.get(routine="request_deadlines")
    assert not run.ok
    assert "langer dan een dag" in run.detail
    assert Notification.objects.get().status == Status.PENDING  # kept, not dropped


@pytest.mark.postgres
def test_the_background_sender_retries_by_itself(
    in_process_sender, smtp, monkeypatch
) -> None:
    """Down when the request is filed; the thread retries when the pause is over."""
    from notifications import delivery, sender

    monkeypatch.setattr(
        delivery, "pause_after", lambda attempts: datetime.timedelta(seconds=1)
    )
    monkeypatch.setattr(sender, "POLL_SECONDS", 1.0)
    cast = give_addresses(make_cast())
    smtp.stop()
    file(cast)
    # tried, failed, waiting
    assert eventually(lambda: Notification.objects.get().attempts >= 1)
    smtp.start()
    (mail,) = smtp.inbox.wait_for(1)
    assert mail["X-Envelope-To"] == ADDRESSES["anna"]
    assert eventually(lambda: Notification.objects.get().status == Status.SENT)
