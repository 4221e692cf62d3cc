"""Delivering the outbox through Django's mail machinery, outside any request.

Rows are claimed with row locks that other senders skip (several web processes, the worker
and cron may all deliver), one mail goes to each recipient however many rows wait for them
(the text is the same for every kind), and a failure leaves the row waiting with a growing
pause: 1, 2, 4 … minutes up to an hour. Nothing is dropped but for want of an address.
"""

from __future__ import annotations

import contextlib
import datetime
import logging
import smtplib
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Role, User
from notifications.models import Notification, Status

log = logging.getLogger(__name__)

BATCH = 50
MAX_PAUSE = datetime.timedelta(hours=1)
MAIL_ERRORS = (smtplib.SMTPException, OSError)  # refused, timed out, dropped, rejected


def pause_after(attempts: int) -> datetime.timedelta:
    """How long a row waits after its n-th failed attempt."""
    return min(datetime.timedelta(minutes=2 ** max(attempts - 1, 0)), MAX_PAUSE)


def message_for(user: User) -> EmailMessage:
    """The one text every notification has: that something waits, and where to log in.
    No name, no kind, no health data; a client is pointed to their dossier, anyone else
    to the ECD."""
    with translation.override(settings.LANGUAGE_CODE):
        where = _("in uw dossier") if user.role == Role.CLIENT else _("in het ECD")
        body = "\n\n".join(
            [
                _("Goedendag,"),
                _(
                    "Er staat iets voor u klaar %(where)s. Log in op %(site)s om het te bekijken."
                )
                % {"where": where, "site": settings.ECD_SITE_URL},
                _(
                    "In deze e-mail staat met opzet niets over uw dossier. Welke berichten u "
                    "krijgt, kiest u na het inloggen bij ‘Meldingen’. Dit bericht is automatisch "
                    "verstuurd; u kunt er niet op antwoorden."
                ),
            ]
        )
        subject = _("Er staat iets voor u klaar")
    return EmailMessage(
        subject, body, settings.DEFAULT_FROM_EMAIL, [user.contact_email]
    )


def _has_address(user: User | None) -> bool:
    return bool(user and user.is_active and "@" in user.contact_email)


@dataclass
class Delivered:
    sent: int = 0
    failed: int = 0
    skipped: int = 0

    def __iadd__(self, other: Delivered) -> Delivered:
        self.sent += other.sent
        self.failed += other.failed
        self.skipped += other.skipped
        return self


def deliver_due(*, now: datetime.datetime | None = None) -> Delivered:
    """Send every row that is due, batch by batch, until none is left or a batch fails."""
    total = Delivered()
    while True:
        result, more = _deliver_batch(now or timezone.now())
        total += result
        if not more or result.failed:
            return total


@transaction.atomic
def _deliver_batch(now: datetime.datetime) -> tuple[Delivered, bool]:
    # Long because sending is one pass: claim rows, open one SMTP connection, send, and mark
    # each row sent or due again.
    rows = list(
        Notification.objects.select_for_update(skip_locked=True)
        .filter(status=Status.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at", "pk")[:BATCH]
    )
    result = Delivered()
    if not rows:
        return result, False
    users = User.objects.in_bulk({row.recipient_id for row in rows})
    waiting: dict[int, list[Notification]] = {}
    for row in rows:
        user = users.get(row.recipient_id)
        if _has_address(user):
            waiting.setdefault(row.recipient_id, []).append(row)
        else:
            row.status = Status.SKIPPED
            result.skipped += 1
    error: Exception | None = None
    connection = get_connection(fail_silently=False)
    try:
        connection.open()
        for user_id, group in waiting.items():
            try:
                connection.send_messages([message_for(users[user_id])])
            except MAIL_ERRORS as exc:  # this one address, or the connection dropped
                error = exc
                _failed(group, now, exc)
                result.failed += len(group)
            else:
                for row in group:
                    row.status, row.sent_at = Status.SENT, now
                result.sent += len(group)
    except MAIL_ERRORS as exc:  # no connection at all: everything waits
        error = exc
        for group in waiting.values():
            _failed(group, now, exc)
        result.failed = sum(len(group) for group in waiting.values())
    finally:
        with contextlib.suppress(*MAIL_ERRORS):
            connection.close()
    Notification.objects.bulk_update(
        rows, ["status", "sent_at", "attempts", "next_attempt_at", "last_error"]
    )
    if error is not None:
        log.warning(  # no addresses or kinds in the log
            "e-mail niet verzonden (%s): %s wacht(en) op een nieuwe poging",
            type(error).__name__,
            result.failed,
        )
    return result, len(rows) == BATCH


def _failed(group: list[Notification], now: datetime.datetime, exc: Exception) -> None:
    for row in group:
        row.attempts += 1
        row.next_attempt_at = now + pause_after(row.attempts)
        row.last_error = type(exc).__name__[:100]


def next_due_in(*, cap: float) -> float:
    """Seconds until the earliest waiting row is due (0 when one is due now), at most `cap`."""
    first = (
        Notification.objects.filter(status=Status.PENDING)
        .order_by("next_attempt_at")
        .values_list("next_attempt_at", flat=True)
        .first()
    )
    if first is None:
        return cap
    return max(0.0, min(cap, (first - timezone.now()).total_seconds()))


def waiting_since(before: datetime.datetime) -> int:
    """How many mails created before `before` still wait (the routine's health signal)."""
    return Notification.objects.filter(
        status=Status.PENDING, created_at__lt=before
    ).count()
