"""`make restore`: decrypt a dump with the identity file brought for it, and restore it into
a new, empty database."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import dj_database_url
from django.core.management.base import BaseCommand, CommandError, CommandParser

from backups.archive import BackupError, read_identities, restore


class Command(BaseCommand):
    help = "Zet een versleutelde back-up terug in een nieuwe, lege PostgreSQL-database."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="een .age-bestand van `backup`")
        parser.add_argument(
            "--into", required=True, help="postgres://… van de nieuwe, lege database"
        )
        parser.add_argument(
            "--identity",
            type=Path,
            required=True,
            help="het age-sleutelbestand (AGE-SECRET-KEY-…) dat niet op de server staat",
        )

    def handle(
        self, *args: Any, file: Path, into: str, identity: Path, **options: Any
    ) -> None:
        if not file.exists():
            raise CommandError(f"{file} bestaat niet.")
        try:
            restore(file, dj_database_url.parse(into), read_identities(identity))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Teruggezet in {into.rsplit('@', 1)[-1]}.")
