"""Encrypted database dumps: pg_dump's custom format, sealed with a backup key of its own.

The main database and the key store are dumped to separate files, so that they can be kept
apart and for different periods (the key store only 35 days: see the README). A dossier
destroyed after a backup stays unreadable in that backup once its data key is gone from the
key store and from the key-store backups older than the destruction have expired.

Format: b"ECDB1" + 8-byte random nonce prefix, then chunks of (4-byte length, AES-256-GCM
ciphertext); chunk i uses nonce prefix + i and associated data i + a last-chunk flag, so
chunks cannot be reordered, dropped or truncated unnoticed.
"""

from __future__ import annotations

import base64
import io
import os
import shutil
import struct
import subprocess
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import IO, Any

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings

MAGIC = b"ECDB1"
CHUNK = 1024 * 1024


class BackupError(Exception):
    pass


def backup_key() -> bytes:
    key = base64.urlsafe_b64decode(settings.ECD_BACKUP_KEY + "==")
    if len(key) != 32:
        raise BackupError("ECD_BACKUP_KEY moet 32 bytes zijn (base64).")
    return key


def _aad(index: int, last: bool) -> bytes:
    return struct.pack(">I?", index, last)


def seal_stream(source: IO[bytes], target: IO[bytes], key: bytes) -> None:
    aead, prefix = AESGCM(key), os.urandom(8)
    target.write(MAGIC + prefix)
    index, chunk = 0, source.read(CHUNK)
    while True:
        following = source.read(CHUNK)
        last = not following
        nonce = prefix + struct.pack(">I", index)
        sealed = aead.encrypt(nonce, chunk, _aad(index, last))
        target.write(struct.pack(">I", len(sealed)) + sealed)
        if last:
            return
        index, chunk = index + 1, following


def open_stream(source: io.BufferedReader, key: bytes) -> Iterator[bytes]:
    aead = AESGCM(key)
    header = source.read(len(MAGIC) + 8)
    if header[: len(MAGIC)] != MAGIC:
        raise BackupError("Dit is geen ECD-back-up.")
    prefix, index = header[len(MAGIC) :], 0
    while True:
        size_bytes = source.read(4)
        if len(size_bytes) < 4:
            raise BackupError("De back-up is afgebroken (laatste deel ontbreekt).")
        sealed = source.read(struct.unpack(">I", size_bytes)[0])
        last = source.peek(1) == b""
        nonce = prefix + struct.pack(">I", index)
        try:
            plain = aead.decrypt(nonce, sealed, _aad(index, last))
        except Exception as exc:
            raise BackupError(
                "De back-up is beschadigd of de sleutel klopt niet."
            ) from exc
        yield plain
        if last:
            return
        index += 1


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


def dump(alias: str, target: Path) -> Path:
    """pg_dump the database behind `alias` into an encrypted file."""
    env = _libpq_env(_postgres(alias))
    process = subprocess.Popen(  # noqa: S603 (fixed arguments, no user input)
        [_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges"],
        stdout=subprocess.PIPE,
        env=env,
    )
    if process.stdout is None:
        raise BackupError("pg_dump gaf geen uitvoer.")
    partial = target.with_suffix(target.suffix + ".partial")
    with partial.open("wb") as out:
        seal_stream(process.stdout, out, backup_key())  # type: ignore[arg-type]
    if process.wait() != 0:
        partial.unlink(missing_ok=True)
        raise BackupError(f"pg_dump van {alias} mislukte.")
    partial.rename(target)
    return target


def restore(source: Path, database: Mapping[str, Any]) -> None:
    """Decrypt a dump and pg_restore it into `database` (which should be new and empty)."""
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
    try:
        with source.open("rb") as handle:
            for plain in open_stream(handle, backup_key()):
                process.stdin.write(plain)
    finally:
        process.stdin.close()
    if process.wait() != 0:
        raise BackupError("pg_restore mislukte.")
