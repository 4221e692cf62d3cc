"""Crypto-shredding for real: a backup taken before a destruction cannot bring the data back."""

import subprocess
import uuid

import psycopg
import pytest
from django.db import connection

from dossiers.models import Dossier
from keystore import crypto
from keystore.fields import Destroyed, Sealed
from tests.personas import make_cast, register_client_with_dossier


def pg_args() -> list[str]:
    settings = connection.settings_dict
    return [
        "-h",
        settings["HOST"] or "127.0.0.1",
        "-p",
        str(settings["PORT"] or 5432),
        "-U",
        settings["USER"],
    ]


@pytest.mark.postgres
def test_a_restored_backup_cannot_decrypt_a_destroyed_dossier(
    committed_db, tmp_path
) -> None:
    cast = make_cast()
    kept = register_client_with_dossier(cast.anna, family_name="Blijft")
    dump = tmp_path / "main.dump"
    subprocess.run(
        [
            "pg_dump",
            *pg_args(),
            "-Fc",
            "-f",
            str(dump),
            connection.settings_dict["NAME"],
        ],
        check=True,
    )
    assert b"canary-diabetes-7f3a" not in dump.read_bytes()

    crypto.destroy_data_key(
        cast.dossier.key_ref
    )  # the destruction, after the backup was taken

    restored = f"restore_{uuid.uuid4().hex[:8]}"
    subprocess.run(["createdb", *pg_args(), restored], check=True)
    try:
        subprocess.run(
            ["pg_restore", *pg_args(), "--no-owner", "-d", restored, str(dump)],
            check=True,
        )
        with psycopg.connect(
            host="127.0.0.1", user=connection.settings_dict["USER"], dbname=restored
        ) as conn:
            rows = conn.execute(
                "SELECT id, key_ref, circumstances, diagnosis FROM dossiers_dossier"
            ).fetchall()
        assert len(rows) == 2
        crypto.key_cache.forget()
        by_id = {
            row[0]: Dossier.from_db(
                "default",  # values in the model's field order
                ["id", "key_ref", "circumstances", "diagnosis"],
                [row[0], row[1], Sealed(row[2]), Sealed(row[3])],
            )
            for row in rows
        }
        destroyed, other = by_id[cast.dossier.pk], by_id[kept.pk]
        assert isinstance(destroyed.diagnosis, Destroyed) and isinstance(
            destroyed.circumstances, Destroyed
        )
        assert str(destroyed.diagnosis) == "[vernietigd]"
        assert other.diagnosis == "canary-diabetes-7f3a"
    finally:
        subprocess.run(["dropdb", *pg_args(), "--if-exists", restored], check=True)
