"""The shred list: which data keys were destroyed, kept beside the key-store backups so that a
key-store dump made before a destruction, restored afterwards, is shredded again (#26).

A key-store dump made before a destruction still holds that client's data key. The server
cannot rewrite older dumps (it holds no identity to open them), so destruction reaches them
on the way back instead:

- `lifecycle.dossier_destroy` notes the key id here right after shredding the key;
- every `backup` rewrites the list from the key store (every key with `destroyed_at`), so a
  note that could not be written is made up for, and the list travels with the dumps;
- `restore` of a key-store dump applies every list it finds (beside the dump, in
  ECD_BACKUP_KEYS_DIR, and any given with --shred-list) before anyone can use the keys.

The list holds key ids and dates only (random UUIDs, no client data). A dump restored by hand
with pg_restore skips this step; that is why key-store dumps are kept 35 days at most.
"""

from __future__ import annotations

import logging
import os
import uuid
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import psycopg
from django.conf import settings
from django.utils import timezone

from keystore.models import DataKey

FILE_NAME = "shredded.txt"
HEADER = "# ECD: vernietigde datasleutels (sleutel-id, datum); niet verwijderen\n"
logger = logging.getLogger(__name__)


def default_path() -> Path:
    return Path(settings.ECD_BACKUP_KEYS_DIR) / FILE_NAME


def _entries(path: Path) -> dict[uuid.UUID, str]:
    """A list's lines as key id → date ('' when none); other lines are skipped."""
    found: dict[uuid.UUID, str] = {}
    if not path.is_file():
        return found
    for line in path.read_text().splitlines():
        words = line.split("#", 1)[0].split()
        if words:
            try:
                found[uuid.UUID(words[0])] = " ".join(words[1:2])
            except ValueError:
                continue
    return found


def read(paths: Iterable[Path]) -> set[uuid.UUID]:
    """Every key id in the lists that exist among `paths`."""
    return {key for path in paths for key in _entries(path)}


def note(key_ref: uuid.UUID, path: Path | None = None) -> None:
    """Add one destroyed key to the list. A failure is logged, not raised: the key is already
    shredded, and the next backup writes the list again from the key store."""
    path = path or default_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        new = not path.exists()
        with path.open("a") as handle:
            if new:
                handle.write(HEADER)
            handle.write(f"{key_ref} {timezone.now():%Y-%m-%dT%H:%M:%SZ}\n")
            handle.flush()
            os.fsync(handle.fileno())
    except OSError:
        logger.warning("Vernietigingslijst niet bij te werken: %s", path)


def rewrite(directory: Path) -> Path:
    """The list in `directory`, written again as the union of what it held and every key
    the key store marks destroyed."""

    path = directory / FILE_NAME
    kept = _entries(path)
    for key_ref, when in DataKey.objects.filter(destroyed_at__isnull=False).values_list(
        "id", "destroyed_at"
    ):
        kept[key_ref] = f"{when:%Y-%m-%dT%H:%M:%SZ}"
    partial = path.with_suffix(".partial")
    partial.write_text(
        HEADER + "".join(f"{k} {when}".rstrip() + "\n" for k, when in kept.items())
    )
    partial.replace(path)
    return path


def apply(database: Mapping[str, Any], key_refs: set[uuid.UUID]) -> int | None:
    """Shred `key_refs` in a restored database if it is a key store; None when it is not."""
    params = {
        "dbname": database.get("NAME"),
        "user": database.get("USER") or None,
        "password": database.get("PASSWORD") or None,
        "host": database.get("HOST") or None,
        "port": database.get("PORT") or None,
    }
    with psycopg.connect(**{k: v for k, v in params.items() if v}) as conn:
        is_key_store = conn.execute(
            "SELECT to_regclass('keystore_datakey') IS NOT NULL"
        ).fetchone()
        if not is_key_store or not is_key_store[0]:
            return None
        if not key_refs:
            return 0
        done = conn.execute(
            "UPDATE keystore_datakey SET wrapped = NULL, master_key_id = '', "
            "destroyed_at = COALESCE(destroyed_at, now()) "
            "WHERE id = ANY(%s) AND wrapped IS NOT NULL",
            [list(key_refs)],
        )
        return done.rowcount
