"""Exit 0 when every access-log chain is whole; 1 naming the first broken event and how."""

from __future__ import annotations

import sys
import time
from typing import Any

from django.core.management.base import BaseCommand

from audit.chain import latest_checkpoint, verify_chain
from audit.models import AccessEvent, ChainHead


class Command(BaseCommand):
    help = "Controleert de hashketens van het toegangslog (en de laatste ondertekende checkpoint)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--no-checkpoint", action="store_true", help="Negeer checkpoints."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        try:
            checkpoints = {} if options["no_checkpoint"] else latest_checkpoint()
        except ValueError as exc:
            self.stderr.write(f"KAPOT: {exc}")
            sys.exit(1)
        chains = set(AccessEvent.objects.values_list("chain", flat=True).distinct())
        chains |= set(ChainHead.objects.values_list("chain", flat=True))
        chains |= set(checkpoints)
        for chain in sorted(chains):
            found = verify_chain(chain, checkpoints.get(chain))
            if found:
                self.stderr.write(f"KAPOT: {found}")
                sys.exit(1)
        count = AccessEvent.objects.count()
        seconds = time.monotonic() - started
        rate = count / seconds if seconds else 0
        self.stdout.write(
            f"OK: {len(chains)} keten(s), {count} gebeurtenissen, {rate:,.0f} per seconde."
        )
