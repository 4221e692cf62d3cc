"""No plaintext of any encrypted field in the database; ciphertext bound to its place."""

import os

import pytest
from django.db import connection

from dossiers import services
from dossiers.models import CareMoment, Dossier, Experience
from keystore import crypto
from keystore.fields import Destroyed
from tests.personas import (
    Cast,
    client_named,
    owner_access,
    register_client_with_dossier,
)

CANARIES = {
    "given_names": "canary-given-31",
    "name_prefix": "canary-pre",
    "email": "canary-mail-91@example.nl",
    "phone": "canary-phone-0612",
    "address": "canary-address-straat",
    "id_document_number": "canary-doc-NX77",
}


def all_raw_text() -> str:
    """Every text column of every table in the main database, as one string."""
    chunks = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')
            chunks.extend(repr(row) for row in cursor.fetchall())
    return "\n".join(chunks)


def test_raw_rows_hold_no_plaintext(cast: Cast) -> None:
    import datetime

    dossier = register_client_with_dossier(
        cast.anna,
        funding="zvw",
        bsn="123456782",
        id_document_type="paspoort",
        id_checked_on=datetime.date(2026, 1, 1),
        family_name="Canary",
        date_of_birth=datetime.date(1937, 12, 29),
        **CANARIES,
    )
    access = owner_access(dossier)
    services.entry_add(
        access=access,
        actor=cast.anna,
        model=CareMoment,
        data={
            "date": datetime.date(2026, 1, 2),
            "start_time": datetime.time(9),
            "end_time": datetime.time(10),
            "activities": "canary-activities-55",
            "results": "canary-results-66",
        },
    )
    services.entry_add(
        access=access,
        actor=cast.anna,
        model=Experience,
        data={"recorded_on": datetime.date(2026, 1, 2), "text": "canary-experience-77"},
    )
    raw = all_raw_text()
    for canary in [
        *CANARIES.values(),
        "Canary",
        "1937-12-29",
        "1937, 12, 29",  # how a date column's row reads in repr()
        "123456782",
        "canary-diabetes-7f3a",
        "canary-activities-55",
        "canary-results-66",
        "canary-experience-77",
    ]:
        assert canary not in raw, canary
    # ... while the application reads them back.
    client = client_named("Canary")
    assert client.bsn == "123456782" and client.email == CANARIES["email"]
    assert client.given_names == CANARIES["given_names"]
    assert client.date_of_birth == datetime.date(1937, 12, 29)
    assert Dossier.objects.get(pk=dossier.pk).diagnosis == "canary-diabetes-7f3a"


def test_the_same_plaintext_encrypts_differently(cast: Cast) -> None:
    key_ref = cast.dossier.key_ref
    a = crypto.encrypt_text("zelfde", key_ref=key_ref, aad=b"t|c|1")
    b = crypto.encrypt_text("zelfde", key_ref=key_ref, aad=b"t|c|1")
    assert a != b


def test_nonces_do_not_repeat(cast: Cast) -> None:
    key_ref = cast.dossier.key_ref
    nonces = {
        crypto.encrypt_bytes(b"x", key_ref=key_ref, aad=b"a")[: crypto.NONCE_BYTES]
        for _ in range(100_000)
    }
    assert len(nonces) == 100_000


def raw_diagnosis(pk: object) -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT diagnosis FROM dossiers_dossier WHERE id = %s",
            [pk.hex if connection.vendor == "sqlite" else pk],
        )
        return cursor.fetchone()[0]


def set_raw_diagnosis(pk: object, value: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE dossiers_dossier SET diagnosis = %s WHERE id = %s",
            [value, pk.hex if connection.vendor == "sqlite" else pk],
        )


def test_a_ciphertext_copied_to_another_row_fails_to_decrypt(cast: Cast) -> None:
    other = register_client_with_dossier(cast.anna, family_name="Ander")
    # Same practice, even the same key would not help: the row id is part of the associated data.
    set_raw_diagnosis(other.pk, raw_diagnosis(cast.dossier.pk))
    with pytest.raises(crypto.DecryptionError):
        _ = Dossier.objects.get(pk=other.pk).diagnosis


def test_a_ciphertext_copied_to_another_column_fails_to_decrypt(cast: Cast) -> None:
    with connection.cursor() as cursor:
        cursor.execute("UPDATE dossiers_dossier SET circumstances = diagnosis")
    with pytest.raises(crypto.DecryptionError):
        _ = Dossier.objects.get(pk=cast.dossier.pk).circumstances


def test_one_changed_byte_is_detected(cast: Cast) -> None:
    import base64

    token = raw_diagnosis(cast.dossier.pk)
    blob = bytearray(base64.b64decode(token[len(crypto.PREFIX) :]))
    blob[20] ^= 0x01
    set_raw_diagnosis(
        cast.dossier.pk, crypto.PREFIX + base64.b64encode(bytes(blob)).decode()
    )
    with pytest.raises(crypto.DecryptionError):
        _ = Dossier.objects.get(pk=cast.dossier.pk).diagnosis


def test_a_damaged_value_shows_a_generic_error_page(cast: Cast, as_user) -> None:
    from django.urls import reverse

    set_raw_diagnosis(cast.dossier.pk, crypto.PREFIX + "AAAA")
    http = as_user(cast.anna)
    http.raise_request_exception = False
    response = http.get(reverse("dossiers:dossier_detail", args=[cast.dossier.pk]))
    assert response.status_code == 500
    assert b"Woont alleen" not in response.content  # no partial plaintext of the page


def test_filtering_on_an_encrypted_field_raises_instead_of_matching_nothing(
    cast: Cast,
) -> None:
    with pytest.raises(TypeError):
        list(Dossier.objects.filter(diagnosis="canary-diabetes-7f3a"))


def test_a_destroyed_key_reads_as_vernietigd(cast: Cast) -> None:
    crypto.destroy_data_key(cast.dossier.key_ref)
    dossier = Dossier.objects.get(pk=cast.dossier.pk)
    assert isinstance(dossier.diagnosis, Destroyed)
    assert str(dossier.diagnosis) == "[vernietigd]"


def test_data_keys_live_in_the_key_store_not_the_main_database(cast: Cast) -> None:
    assert "keystore_datakey" not in connection.introspection.table_names()
    from django.db import connections

    assert "keystore_datakey" in connections["keys"].introspection.table_names()


def test_production_refuses_to_start_without_a_master_key(tmp_path) -> None:
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith("ECD_")}
    env |= {
        "ECD_ENV": "production",
        "SECRET_KEY": "x" * 60,
        "ALLOWED_HOSTS": "ecd.example",
        "ECD_BLIND_INDEX_KEY": "y" * 40,
        "ECD_AUDIT_CHECKPOINT_KEY": "z" * 40,
        "DJANGO_SETTINGS_MODULE": "ecd.settings",
        "ECD_VAR_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "ECD_MASTER_KEYS" in result.stderr
