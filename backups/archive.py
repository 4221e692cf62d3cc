"""Encrypted database dumps: pg_dump's custom format, encrypted with age (pyrage) to a
recipient's public key. The matching identity (private key) is kept off the server, so a
compromised server can make new backups but cannot read old ones.

The main database and the key store are dumped to separate destinations, each for its own
recipient, so that they can be kept apart and for different periods (the key store only 35
days: see docs/operations.md). A dossier destroyed after a backup stays unreadable in that
backup once its data key is gone from the key store and from the key-store backups older
than the destruction have expired. `backup` refuses when both destinations or both
recipients are the same.

age's format authenticates every 64 KiB chunk and marks the last one, so a tampered,
reordered or truncated file is refused on restore.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pyrage
from django.conf import settings

MAGIC = b"age-encryption.org/v1\n"


class BackupError(Exception):
    pass


def recipients(setting: str) -> list[pyrage.x25519.Recipient]:
    """The age public keys (age1…, comma-separated) a setting names; never a private key."""
    value = str(getattr(settings, setting, "") or "")
    if "AGE-SECRET-KEY" in value.upper():
        raise BackupError(
            f"{setting} bevat een privésleutel; zet daar alleen de publieke sleutel "
            "(age1…) en bewaar de privésleutel buiten de server."
        )
    names = [part.strip() for part in value.split(",") if part.strip()]
    if not names:
        raise BackupError(
            f"{setting} ontbreekt: de publieke age-sleutel (age1…) van wie de back-up mag "
            "teruglezen. Maak het sleutelpaar met age-keygen op een andere machine."
        )
    try:
        return [pyrage.x25519.Recipient.from_str(name) for name in names]
    except Exception as exc:
        raise BackupError(f"{setting} is geen geldige publieke age-sleutel.") from exc


def check_apart(
    main_dir: Path, keys_dir: Path, main: list[Any], keys: list[Any]
) -> None:
    """The key store must not travel with the main database: other folder, other key."""
    a, b = main_dir.resolve(), keys_dir.resolve()
    if a == b or a in b.parents or b in a.parents:
        raise BackupError(
            "De sleutelopslag moet naar een andere bestemming dan de hoofddatabase "
            f"({a} en {b} vallen samen); zet ECD_BACKUP_KEYS_DIR of --keys-dir apart."
        )
    if {str(r) for r in main} & {str(r) for r in keys}:
        raise BackupError(
            "De sleutelopslag moet voor een eigen ontvanger worden versleuteld: "
            "ECD_BACKUP_KEYS_RECIPIENT mag niet gelijk zijn aan ECD_BACKUP_RECIPIENT."
        )


def read_identities(path: Path) -> list[pyrage.x25519.Identity]:
    """An age identity file (lines AGE-SECRET-KEY-…, # comments), brought for the restore."""
    try:
        lines = path.read_text().splitlines()
    except OSError as exc:
        raise BackupError(f"Sleutelbestand {path} is niet te lezen.") from exc
    keys = [ln.strip() for ln in lines if ln.strip() and not ln.startswith("#")]
    try:
        identities = [pyrage.x25519.Identity.from_str(key) for key in keys]
    except Exception as exc:
        raise BackupError(f"{path} is geen age-sleutelbestand.") from exc
    if not identities:
        raise BackupError(f"{path} bevat geen sleutel.")
    return identities


def _libpq_env(db: Mapping[str, Any]) -> dict[str, str]:
    env = dict(os.environ)
    for var, key in (
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
        ("PGDATABASE", "NAME"),
    ):
        if db.get(key):
            env[var] = str(db[key])
    return env


def _postgres(alias: str) -> Mapping[str, Any]:
    db = settings.DATABASES[alias]
    if db["ENGINE"] != "django.db.backends.postgresql":
        raise BackupError(
            "Back-ups met pg_dump vragen PostgreSQL; de SQLite van `make run` is alleen voor proberen."
        )
    return db


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} ontbreekt (Debian: postgresql-client).")
    return path


def dump(alias: str, target: Path, to: list[pyrage.x25519.Recipient]) -> Path:
    """pg_dump the database behind `alias` into a file encrypted for `to`."""
    env = _libpq_env(_postgres(alias))
    process = subprocess.Popen(  # noqa: S603 (fixed arguments, no user input)
        [_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges"],
        stdout=subprocess.PIPE,
        env=env,
    )
    if process.stdout is None:
        raise BackupError("pg_dump gaf geen uitvoer.")
    partial = target.with_suffix(target.suffix + ".partial")
    try:
        with partial.open("wb") as out:
            pyrage.encrypt_io(process.stdout, out, to)
    finally:
        process.stdout.close()
    if process.wait() != 0:
        partial.unlink(missing_ok=True)
        raise BackupError(f"pg_dump van {alias} mislukte.")
    partial.rename(target)
    return target


def restore(
    source: Path, database: Mapping[str, Any], identities: list[pyrage.x25519.Identity]
) -> None:
    """Decrypt a dump with the identity brought for it and pg_restore it into `database`
    (which should be new and empty)."""
    with source.open("rb") as handle:
        if handle.read(len(MAGIC)) != MAGIC:
            raise BackupError("Dit is geen ECD-back-up (age-bestand).")
    env = _libpq_env(database)
    process = subprocess.Popen(  # noqa: S603 (fixed arguments, no user input)
        [
            _tool("pg_restore"),
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "-d",
            env["PGDATABASE"],
        ],
        stdin=subprocess.PIPE,
        env=env,
    )
    if process.stdin is None:
        raise BackupError("pg_restore nam geen invoer aan.")
    failed: Exception | None = None
    try:
        with source.open("rb") as handle:
            pyrage.decrypt_io(handle, process.stdin, identities)
    except Exception as exc:  # pyrage: DecryptError or OSError("decryption error")
        failed = exc
    finally:
        process.stdin.close()
    code = process.wait()
    if failed is not None:
        raise BackupError(
            "De back-up is beschadigd of afgebroken, of het sleutelbestand hoort er niet bij."
        ) from failed
    if code != 0:
        raise BackupError("pg_restore mislukte.")
