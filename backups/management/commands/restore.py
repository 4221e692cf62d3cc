"""`make restore`: decrypt a dump with the identity file brought for it, and restore it into
a new, empty database."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.management.base import BaseCommand, CommandError, CommandParser

from backups.archive import BackupError, read_identities, restore
from keystore import shred_list as shred_lists


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
        parser.add_argument(
            "--shred-list",
            type=Path,
            action="append",
            default=[],
            help="nog een vernietigingslijst (shredded.txt) om toe te passen op een "
            "teruggezette sleutelopslag",
        )

    def handle(
        self,
        *args: Any,
        file: Path,
        into: str,
        identity: Path,
        shred_list: list[Path],
        **options: Any,
    ) -> None:
        if not file.exists():
            raise CommandError(f"{file} bestaat niet.")
        database = dj_database_url.parse(into)
        try:
            restore(file, database, read_identities(identity))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Teruggezet in {into.rsplit('@', 1)[-1]}.")
        self._shred_again(database, [*shred_list, *_lists_beside(file)])

    def _shred_again(self, database: Mapping[str, Any], lists: list[Path]) -> None:
        """A restored key store: destroy again every key destroyed after the dump (#26)."""
        found = [path for path in lists if path.is_file()]
        shredded = shred_lists.apply(database, shred_lists.read(found))
        if shredded is None:
            return  # the main database: its ciphertext needs the key store's keys
        if not found:
            self.stderr.write(
                "Let op: geen vernietigingslijst (shredded.txt) gevonden. Sleutels die na "
                "deze back-up zijn vernietigd, staan weer in de sleutelopslag. Geef de "
                "lijst mee met --shred-list."
            )
            return
        self.stdout.write(
            f"Sleutelopslag: {shredded} sleutel(s) opnieuw vernietigd volgens "
            + ", ".join(str(path) for path in found)
            + "."
        )


def _lists_beside(file: Path) -> list[Path]:
    """The list beside the dump and the one in the configured key-store backup folder."""
    paths = [file.resolve().parent / shred_lists.FILE_NAME, shred_lists.default_path()]
    return list(dict.fromkeys(path.resolve() for path in paths))
