"""Re-wrap every data key under the newest master key. Resumable; safe while the app serves."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from keystore import crypto


class Command(BaseCommand):
    help = "Verpakt alle datasleutels opnieuw met de nieuwste hoofdsleutel (in batches, hervatbaar)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--batch-size", type=int, default=500)
        parser.add_argument(
            "--max-batches",
            type=int,
            default=0,
            help="Stop na zoveel batches (0: tot het klaar is).",
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="Meld alleen hoeveel sleutels nog oud zijn.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        remaining = crypto.keys_not_on_newest_master()
        newest = crypto.master_keys()[0].key_id
        if options["check"]:
            if remaining:
                raise CommandError(
                    f"{remaining} datasleutel(s) nog niet onder hoofdsleutel {newest}."
                )
            self.stdout.write(f"Alle datasleutels staan onder hoofdsleutel {newest}.")
            return
        total, done, batches = remaining, 0, 0
        while True:
            count = crypto.rewrap_batch(batch_size=options["batch_size"])
            if not count:
                break
            done += count
            batches += 1
            self._progress(done, total)
            if options["max_batches"] and batches >= options["max_batches"]:
                self.stdout.write(
                    f"\nGestopt na {batches} batch(es); opnieuw starten hervat de rotatie."
                )
                return
        self.stdout.write(
            f"\nKlaar: {done} datasleutel(s) opnieuw verpakt met hoofdsleutel {newest}."
        )

    def _progress(self, done: int, total: int) -> None:
        width = 30
        filled = width * done // max(total, 1)
        bar = "#" * min(filled, width) + "-" * max(width - filled, 0)
        self.stdout.write(f"\r[{bar}] {done}/{total}", ending="")
        sys.stdout.flush()
