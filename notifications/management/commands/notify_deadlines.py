"""Daily: tell the zorgverlener about rights requests due within 7 days or overdue, then
deliver what waits. Reported on the readiness overview (routine `request_deadlines`), and
failed when mails have waited more than a day (the mail server is away or refuses)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import CommandError
from django.utils import timezone

from ecd.routines import ReportsRoutine
from notifications.delivery import deliver_due, waiting_since
from notifications.services import deadline_reminders

STUCK_AFTER = datetime.timedelta(days=1)


class Command(ReportsRoutine):
    routines = ("request_deadlines",)
    help = "Meldt verzoeken waarvan de termijn binnen 7 dagen afloopt of voorbij is."

    def handle(self, *args: Any, **options: Any) -> None:
        queued = deadline_reminders()
        result = deliver_due()
        stuck = waiting_since(timezone.now() - STUCK_AFTER)
        self._detail = (
            f"{queued} herinnering(en) klaargezet, {result.sent} e-mail(s) verzonden"
        )
        if stuck:
            raise CommandError(
                f"{stuck} e-mail(s) wachten al langer dan een dag op verzending; "
                "kijk of de mailserver bereikbaar is (EMAIL_HOST)."
            )
        self.stdout.write(self._detail + ".")

    def routine_detail(self, options: dict[str, Any]) -> str:
        return getattr(self, "_detail", "")
