"""Write the signed heads of all chains outside the database (daily job)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone

from audit.chain import write_checkpoint
from audit.models import ChainHead
from ecd.routines import ReportsRoutine


class Command(ReportsRoutine):
    routines = ("audit_checkpoint",)
    help = "Schrijft een ondertekende checkpoint van alle ketenkoppen naar een bestand (en optioneel e-mail)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--mail", help="Stuur de checkpoint ook naar dit e-mailadres."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        heads = [
            {"chain": h.chain, "seq": h.seq, "hash": h.hash}
            for h in ChainHead.objects.order_by("chain")
        ]
        path = write_checkpoint(heads, timezone.now().strftime("%Y-%m-%dT%H:%M:%S.%fZ"))
        if options.get("mail"):
            send_mail(
                "Checkpoint toegangslog",
                path.read_text(encoding="utf-8"),
                settings.DEFAULT_FROM_EMAIL,
                [options["mail"]],
            )
        self.stdout.write(f"Checkpoint geschreven: {path} ({len(heads)} keten(s)).")
