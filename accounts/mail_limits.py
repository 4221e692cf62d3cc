"""How many reset and invitation mails go out: at most a few an hour per address and per
account, so nobody can fill a mailbox (or a mail server's reputation) through the ECD.

The caller's outward answer never changes when a mail is held back: the person asking a
reset sees the same page either way, so the limit reveals nothing about an account.
"""

from __future__ import annotations

import datetime
import hashlib

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import MailSent, email_index

RESET = "reset"
INVITATION = "invitation"
WINDOW = datetime.timedelta(hours=1)
KEEP = datetime.timedelta(days=1)


def may_send(kind: str, address: str, account_ref: str = "") -> bool:
    """True (and counted) when one more mail of this kind may go to this address and
    account within the hour; False when the limit is reached."""
    limit = settings.ECD_MAILS_PER_HOUR
    index = email_index(address)
    now = timezone.now()
    with transaction.atomic():
        _serialise(kind, index, account_ref)
        recent = MailSent.objects.filter(kind=kind, sent_at__gte=now - WINDOW)
        if recent.filter(address_index=index).count() >= limit:
            return False
        if account_ref and recent.filter(account_ref=account_ref).count() >= limit:
            return False
        MailSent.objects.create(
            kind=kind, address_index=index, account_ref=account_ref, sent_at=now
        )
        MailSent.objects.filter(sent_at__lt=now - KEEP).delete()
    return True


def _serialise(kind: str, index: str, account_ref: str) -> None:
    """Two requests for the same address or account count one after the other (on
    PostgreSQL a transaction lock per key; SQLite writes one transaction at a time)."""
    if connection.vendor != "postgresql":
        return
    keys = sorted({f"{kind}:{index}", f"{kind}:{account_ref}" if account_ref else ""})
    with connection.cursor() as cursor:
        for key in filter(None, keys):
            digest = hashlib.sha256(key.encode()).digest()[:8]
            cursor.execute(
                "SELECT pg_advisory_xact_lock(%s)",
                [int.from_bytes(digest, "big", signed=True)],
            )
