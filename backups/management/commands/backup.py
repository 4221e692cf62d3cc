"""`make backup`: encrypted dumps of the main database and, in a separate file, the key store."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import CommandError, CommandParser
from django.utils import timezone

from backups.archive import BackupError, dump
from ecd.routines import ReportsRoutine


class Command(ReportsRoutine):
    routines = ("backup", "backup_keys")
    help = (
        "Maakt versleutelde back-ups van de hoofddatabase en (apart) de sleutelopslag."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dir", type=Path, default=settings.ECD_BACKUP_DIR)

    def handle(self, *args: Any, dir: Path, **options: Any) -> None:
        dir.mkdir(parents=True, exist_ok=True)
        stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
        try:
            main = dump("default", dir / f"ecd-{stamp}.main.ecdb")
            keys = dump("keys", dir / f"ecd-{stamp}.keys.ecdb")
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"hoofddatabase: {main}")
        self.stdout.write(f"sleutelopslag (apart bewaren, 35 dagen): {keys}")
