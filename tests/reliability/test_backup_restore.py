"""Backups: an encrypted pg_dump restored into a new database holds the same rows, its access
log verifies, and a dossier destroyed after the backup stays unreadable. Dumps are encrypted
with age for public keys only; the identity to read them is brought to the restore."""

import io
import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pyrage
import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

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
def age_keys(settings, tmp_path: Path) -> dict[str, Path]:
    """Two key pairs as an operator makes them elsewhere: the server gets only the public
    keys (settings); the identities are files the restore is handed."""
    files = {}
    for name, setting in (
        ("main", "ECD_BACKUP_RECIPIENT"),
        ("keys", "ECD_BACKUP_KEYS_RECIPIENT"),
    ):
        identity = pyrage.x25519.Identity.generate()
        setattr(settings, setting, str(identity.to_public()))
        files[name] = tmp_path / f"{name}.identity.txt"
        files[name].write_text(f"# offline\n{identity}\n")
    settings.ECD_BACKUP_DIR = tmp_path / "main"
    settings.ECD_BACKUP_KEYS_DIR = tmp_path / "elsewhere" / "keys"
    return files


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
    committed_db, restored_db, age_keys: dict[str, Path], tmp_path: Path
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

    call_command("backup")
    main_dump = next((tmp_path / "main").glob("*.main.age"))
    keys_dump = next((tmp_path / "elsewhere" / "keys").glob("*.keys.age"))
    assert not list((tmp_path / "main").glob("*.keys.*"))  # not beside the main dump
    raw = main_dump.read_bytes()
    assert raw.startswith(b"age-encryption.org/v1\n")
    assert (
        b"canary-diabetes" not in raw and b"Vertrekt" not in raw
    )  # the dump is sealed
    assert keys_dump.stat().st_size > 0
    # Each file opens only with its own identity.
    with pytest.raises(CommandError):
        call_command(
            "restore", str(keys_dump), into=restored_db, identity=age_keys["main"]
        )

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

    call_command("restore", str(main_dump), into=restored_db, identity=age_keys["main"])
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
    committed_db, restored_db, age_keys: dict[str, Path], tmp_path: Path
) -> None:
    """A flipped byte or a cut-off end is refused; nothing half-restored passes as whole."""
    make_cast()
    call_command("backup")
    dump = next((tmp_path / "main").glob("*.main.age"))
    data = bytearray(dump.read_bytes())
    data[len(data) // 2] ^= 1
    tampered = tmp_path / "tampered.age"
    tampered.write_bytes(bytes(data))
    truncated = tmp_path / "truncated.age"
    truncated.write_bytes(dump.read_bytes()[:-10])
    for broken in (tampered, truncated):
        with pytest.raises(CommandError, match="beschadigd"):
            call_command(
                "restore", str(broken), into=restored_db, identity=age_keys["main"]
            )
    with pytest.raises(CommandError):
        call_command(
            "restore",
            str(tmp_path / "missing.age"),
            into=_url("x"),
            identity=age_keys["main"],
        )


def test_the_key_store_goes_elsewhere_for_its_own_recipient(
    settings, age_keys: dict[str, Path], tmp_path: Path
) -> None:
    """backup refuses one destination for both, one recipient for both, a missing
    recipient, and a private key where a public one belongs; it writes nothing then."""
    same_dir = {"dir": tmp_path / "one", "keys_dir": tmp_path / "one"}
    nested = {"dir": tmp_path / "one", "keys_dir": tmp_path / "one" / "keys"}
    for destinations in (same_dir, nested):
        with pytest.raises(CommandError, match="andere bestemming"):
            call_command("backup", **destinations)
    main_recipient = settings.ECD_BACKUP_RECIPIENT
    settings.ECD_BACKUP_KEYS_RECIPIENT = main_recipient
    with pytest.raises(CommandError, match="eigen ontvanger"):
        call_command("backup")
    settings.ECD_BACKUP_KEYS_RECIPIENT = ""
    with pytest.raises(CommandError, match="ontbreekt"):
        call_command("backup")
    settings.ECD_BACKUP_KEYS_RECIPIENT = age_keys["keys"].read_text().split()[-1]
    with pytest.raises(CommandError, match="privésleutel"):
        call_command("backup")
    assert not (tmp_path / "one").exists()
    assert not list(tmp_path.rglob("*.age"))


def test_the_server_holds_no_identity_that_opens_a_backup() -> None:
    """Neither the settings nor the environment carry an age private key."""
    from django.conf import settings as live

    values = [str(getattr(live, name)) for name in dir(live) if name.isupper()]
    values += list(os.environ.values())
    assert not [v for v in values if "AGE-SECRET-KEY" in v.upper()]


def _recreate(name: str) -> None:
    with psycopg.connect(_url("postgres"), autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {name}")


def _key_is_wrapped(url: str, key_ref: object) -> bool:
    with psycopg.connect(url) as conn:
        row = conn.execute(
            "SELECT wrapped IS NOT NULL FROM keystore_datakey WHERE id = %s", [key_ref]
        ).fetchone()
    return bool(row and row[0])


def test_a_key_store_dump_restored_after_destruction_is_shredded_again(
    committed_db, restored_db, age_keys: dict[str, Path], tmp_path: Path, settings
) -> None:
    """The shred list (keystore.shred_list): destruction notes the key beside the key-store
    backups, every backup writes the list again from the key store (so a lost note comes
    back), and restoring an earlier key-store dump applies it. Without any list the restore
    warns, and the destroyed key is indeed back: what the list is for."""
    from keystore import shred_list

    cast = make_cast()
    leaving = register_client_with_dossier(cast.anna, family_name="Vertrekt")
    call_command("backup")
    # Kept apart at once: a second backup within the same second reuses the file name.
    earlier = next((tmp_path / "elsewhere" / "keys").glob("*.keys.age"))
    alone = tmp_path / "usb" / earlier.name
    alone.parent.mkdir()
    alone.write_bytes(earlier.read_bytes())
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
    listed = shred_list.default_path()
    assert leaving.key_ref in shred_list.read([listed])
    listed.unlink()  # the note was lost (a full disk, a folder not mounted) ...
    call_command("backup")  # ... the next backup writes it again from the key store
    assert leaving.key_ref in shred_list.read([listed])
    assert str(cast.dossier.key_ref) not in listed.read_text()  # live keys stay off it

    # The earlier dump alone, away from any list: the restore warns, and the key is back.
    settings.ECD_BACKUP_KEYS_DIR = tmp_path / "nowhere"
    warned = io.StringIO()
    call_command(
        "restore",
        str(alone),
        into=restored_db,
        identity=age_keys["keys"],
        stderr=warned,
    )
    assert "geen vernietigingslijst" in warned.getvalue()
    assert _key_is_wrapped(restored_db, leaving.key_ref)

    # With the list given, the same dump comes back with the key destroyed again.
    _recreate(RESTORED)
    said = io.StringIO()
    call_command(
        "restore",
        str(alone),
        into=restored_db,
        identity=age_keys["keys"],
        shred_list=[listed],
        stdout=said,
    )
    assert "1 sleutel(s) opnieuw vernietigd" in said.getvalue()
    assert not _key_is_wrapped(restored_db, leaving.key_ref)
    assert _key_is_wrapped(restored_db, cast.dossier.key_ref)
