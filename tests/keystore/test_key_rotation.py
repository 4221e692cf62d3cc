"""rotate_keys: every data key re-wrapped under the newest master key; resumable."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from dossiers.models import Client, Dossier
from keystore import crypto
from keystore.models import DataKey
from tests.personas import Cast, register_client_with_dossier

V1 = "v1:" + crypto.new_master_key_material()
V2 = "v2:" + crypto.new_master_key_material()


def read_everything(client_ids: list[object]) -> list[str]:
    crypto.key_cache.forget()
    values = []
    for dossier in Dossier.objects.filter(client__in=client_ids).order_by("pk"):
        values += [dossier.diagnosis, dossier.circumstances]
    for client in Client.objects.filter(pk__in=client_ids).order_by("pk"):
        values += [client.family_name, client.date_of_birth, client.email, client.phone]
    return values


def test_rotation_rewraps_every_key_and_everything_still_decrypts(cast: Cast) -> None:
    with override_settings(ECD_MASTER_KEYS=V1):
        crypto.key_cache.forget()
        rotated = [
            register_client_with_dossier(cast.anna, family_name=f"Rot{i}").client_id
            for i in range(4)
        ]
        before = read_everything(rotated)
        # Only the v1 keys are under test; the cast's own key is set aside.
        DataKey.objects.exclude(master_key_id="v1").delete()
    with override_settings(ECD_MASTER_KEYS=f"{V2},{V1}"):
        with pytest.raises(CommandError):
            call_command("rotate_keys", "--check")
        call_command(
            "rotate_keys", "--batch-size", "2", "--max-batches", "1"
        )  # interrupted
        assert DataKey.objects.filter(master_key_id="v1").count() == 2
        call_command("rotate_keys", "--batch-size", "2")  # restarted: completes
        assert set(DataKey.objects.values_list("master_key_id", flat=True)) == {"v2"}
        call_command("rotate_keys", "--check")
    with override_settings(ECD_MASTER_KEYS=V2):  # v1 removed
        assert read_everything(rotated) == before
        assert "canary-diabetes-7f3a" in before and "Rot3" in before


def test_a_key_left_on_the_old_master_is_reported(cast: Cast) -> None:
    with override_settings(ECD_MASTER_KEYS=V1):
        register_client_with_dossier(cast.anna, family_name="Oud")
    with (
        override_settings(ECD_MASTER_KEYS=f"{V2},{V1}"),
        pytest.raises(CommandError, match="nog niet onder"),
    ):
        call_command("rotate_keys", "--check")
