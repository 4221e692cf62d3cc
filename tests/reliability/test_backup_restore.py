"""Backups: an encrypted pg_dump restored into a new database holds the same rows, its access
log verifies, and a dossier destroyed after the backup stays unreadable."""

import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from backups.archive import BackupError, open_stream
from dossiers import lifecycle, services
from dossiers.lifecycle import DestructionGround
from dossiers.models import Goal
from keystore import crypto
from portal.services import request_decide, request_file
from tests.personas import make_cast, owner_access, register_client_with_dossier

pytestmark = pytest.mark.postgres
ROOT = Path(__file__).resolve().parents[2]
TABLES = [
    "dossiers_client",
    "dossiers_dossier",
    "dossiers_goal",
    "audit_accessevent",
    "auditlog_logentry",
]
RESTORED = "ecd_restore_check"


def _url(name: str) -> str:
    db = settings.DATABASES["default"]
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"


def _counts(url: str) -> dict[str, int]:
    with psycopg.connect(url) as conn:
        return {
            t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES
        }


@pytest.fixture
def restored_db():
    admin = _url("postgres")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {RESTORED}")
        conn.execute(f"CREATE DATABASE {RESTORED}")
    yield _url(RESTORED)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {RESTORED} WITH (FORCE)")


def test_a_restored_backup_is_whole_and_keeps_destroyed_dossiers_unreadable(
    committed_db, restored_db, tmp_path: Path
) -> None:
    cast = make_cast()
    services.entry_add(
        access=owner_access(cast.dossier),
        actor=cast.anna,
        model=Goal,
        data={"description": "Doel in de back-up"},
    )
    leaving = register_client_with_dossier(cast.anna, family_name="Vertrekt")
    main_db = _url(settings.DATABASES["default"]["NAME"])
    at_backup = _counts(main_db)

    call_command("backup", dir=tmp_path)
    main_dump = next(tmp_path.glob("*.main.ecdb"))
    keys_dump = next(tmp_path.glob("*.keys.ecdb"))
    raw = main_dump.read_bytes()
    assert (
        b"canary-diabetes" not in raw and b"Vertrekt" not in raw
    )  # the dump is sealed
    assert keys_dump.stat().st_size > 0

    # After the backup the client asks for destruction, and it is done.
    access = owner_access(leaving)
    filed = request_file(
        access=access, actor=cast.anna, kind="vernietiging", reason="verzoek"
    )
    request_decide(actor=cast.anna, request=filed, status="toegekend", reason="ok")
    lifecycle.dossier_destroy(
        access=access,
        actor=cast.anna,
        ground=DestructionGround.CLIENT_REQUEST,
        request_ref=filed.pk,
    )

    call_command("restore", str(main_dump), into=restored_db)
    assert _counts(restored_db) == at_backup

    keys_db = settings.DATABASES["keys"]
    env = {
        **os.environ,
        "DATABASE_URL": restored_db,
        "KEYSTORE_DATABASE_URL": _url(keys_db["NAME"]),
    }
    verified = subprocess.run(
        [sys.executable, "manage.py", "verify_audit", "--no-checkpoint"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert verified.returncode == 0, verified.stderr
    assert verified.stdout.startswith("OK")

    # The restored database still holds the destroyed client's ciphertext, but its key is gone.
    with psycopg.connect(restored_db) as conn:
        token, key_ref = conn.execute(
            "SELECT diagnosis, key_ref FROM dossiers_dossier WHERE id = %s",
            [leaving.pk],
        ).fetchone()
    with pytest.raises(crypto.KeyDestroyedError):
        crypto.decrypt_text(
            token,
            key_ref=key_ref,
            aad=crypto.aad_for("dossiers_dossier", "diagnosis", leaving.pk),
        )


def test_a_tampered_or_truncated_backup_is_refused(
    committed_db, tmp_path: Path
) -> None:
    make_cast()
    call_command("backup", dir=tmp_path)
    dump = next(tmp_path.glob("*.main.ecdb"))
    data = bytearray(dump.read_bytes())
    data[40] ^= 1
    tampered = tmp_path / "tampered.ecdb"
    tampered.write_bytes(bytes(data))
    with tampered.open("rb") as handle, pytest.raises(BackupError):
        list(open_stream(handle, crypto_key()))
    truncated = tmp_path / "truncated.ecdb"
    truncated.write_bytes(dump.read_bytes()[:-10])
    with truncated.open("rb") as handle, pytest.raises(BackupError):
        list(open_stream(handle, crypto_key()))
    with pytest.raises(CommandError):
        call_command("restore", str(tmp_path / "missing.ecdb"), into=_url("x"))


def crypto_key() -> bytes:
    from backups.archive import backup_key

    return backup_key()
