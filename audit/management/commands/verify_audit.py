"""Exit 0 when every access-log chain is whole; 1 naming the first broken event and how."""

from __future__ import annotations

import sys
import time
from typing import Any

from audit.chain import latest_checkpoint, verify_chain, verify_chain_since
from audit.day_lines import lines_out_of_step
from audit.models import AccessEvent, ChainHead
from ecd.routines import ReportsRoutine


class Command(ReportsRoutine):
    help = "Controleert de hashketens van het toegangslog (en de laatste ondertekende checkpoint)."
    routines = ("verify_audit",)

    def routine_detail(self, options: dict[str, Any]) -> str:
        return "incrementeel" if options.get("incremental") else "volledig"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--no-checkpoint", action="store_true", help="Negeer checkpoints."
        )
        parser.add_argument(
            "--incremental",
            action="store_true",
            help="Alleen vanaf de laatste ondertekende checkpoint (dagelijks); zonder: alles.",
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
        incremental = options["incremental"] and checkpoints
        count = 0
        for chain in sorted(chains):
            if incremental and chain in checkpoints:
                found, read = verify_chain_since(chain, checkpoints[chain])
                count += read
            else:
                found = verify_chain(chain, checkpoints.get(chain))
                if incremental:
                    count += AccessEvent.objects.filter(chain=chain).count()
            if found:
                self.stderr.write(f"KAPOT: {found}")
                sys.exit(1)
        if not incremental:
            count = AccessEvent.objects.count()
            out_of_step = lines_out_of_step()
            if out_of_step:
                self.stderr.write(
                    f"KAPOT: wie-keek-wat wijkt af van het toegangslog: {out_of_step[0]} "
                    f"({len(out_of_step)} regel(s))"
                )
                sys.exit(1)
        seconds = time.monotonic() - started
        rate = count / seconds if seconds else 0
        self.stdout.write(
            f"OK: {len(chains)} keten(s), {count} gebeurtenissen, {rate:,.0f} per seconde."
        )
