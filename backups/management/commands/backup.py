"""`make backup`: the main database and the key store, each encrypted for its own age
recipient and written to its own destination."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import CommandError, CommandParser
from django.utils import timezone

from backups.archive import BackupError, check_apart, dump, recipients
from ecd.routines import ReportsRoutine
from keystore import shred_list


class Command(ReportsRoutine):
    routines = ("backup", "backup_keys")
    help = (
        "Maakt versleutelde back-ups van de hoofddatabase en, naar een andere "
        "bestemming met een eigen sleutel, de sleutelopslag."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dir", type=Path, default=settings.ECD_BACKUP_DIR)
        parser.add_argument(
            "--keys-dir", type=Path, default=settings.ECD_BACKUP_KEYS_DIR
        )

    def handle(self, *args: Any, dir: Path, keys_dir: Path, **options: Any) -> None:
        stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
        try:
            to_main = recipients("ECD_BACKUP_RECIPIENT")
            to_keys = recipients("ECD_BACKUP_KEYS_RECIPIENT")
            check_apart(dir, keys_dir, to_main, to_keys)
            dir.mkdir(parents=True, exist_ok=True)
            keys_dir.mkdir(parents=True, exist_ok=True)
            main = dump("default", dir / f"ecd-{stamp}.main.age", to_main)
            keys = dump("keys", keys_dir / f"ecd-{stamp}.keys.age", to_keys)
            shredded = shred_list.rewrite(keys_dir)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"hoofddatabase: {main}")
        self.stdout.write(f"sleutelopslag (apart bewaren, 35 dagen): {keys}")
        self.stdout.write(
            f"vernietigingslijst (bij de sleutelback-ups houden): {shredded}"
        )
