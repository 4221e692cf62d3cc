"""Deliver the e-mails that wait in the outbox (cron, or with --loop as a process of its own)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from notifications.delivery import deliver_due, next_due_in


class Command(BaseCommand):
    help = "Verstuurt de meldingen die klaarstaan (inhoudsloze e-mails)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--loop",
            action="store_true",
            help="Blijf draaien en verstuur wat binnenkomt.",
        )
        parser.add_argument("--interval", type=float, default=30.0)

    def handle(self, *args: Any, **options: Any) -> None:
        while True:
            result = deliver_due()
            if result.sent or result.failed or result.skipped:
                self.stdout.write(
                    f"Verzonden: {result.sent}, opnieuw later: {result.failed}, "
                    f"zonder e-mailadres: {result.skipped}."
                )
            if not options["loop"]:
                return
            time.sleep(max(1.0, next_due_in(cap=options["interval"])))
            close_old_connections()
