"""All field encryption lives here: the only importer of `cryptography` for data at rest.

Envelope encryption: each client has a random 256-bit data key (AES-256-GCM), stored in
the key store wrapped by the newest master key. Every ciphertext is bound to its place
(table, column, row id) through the GCM associated data, so a ciphertext copied to another
row or column fails to decrypt instead of showing someone else's data.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import threading
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone

if TYPE_CHECKING:
    from keystore.models import DataKey

PREFIX = "e1:"
NONCE_BYTES = 12
KEY_CACHE_SECONDS = 30


class DecryptionError(Exception):
    """A ciphertext is damaged, moved, or its key is unknown. Never shown as data."""


class KeyDestroyedError(Exception):
    """The data key was destroyed on purpose (crypto-shredding)."""


@dataclass(frozen=True)
class MasterKey:
    key_id: str
    key: bytes


def master_keys() -> list[MasterKey]:
    """Master keys from ECD_MASTER_KEYS: 'kid:base64key,...', newest first."""
    keys = []
    for item in settings.ECD_MASTER_KEYS.split(","):
        item = item.strip()
        if not item:
            continue
        key_id, _, material = item.partition(":")
        raw = base64.urlsafe_b64decode(material + "=" * (-len(material) % 4))
        if len(raw) < 32:
            raise ImproperlyConfigured(f"Hoofdsleutel {key_id} is korter dan 256 bits.")
        keys.append(MasterKey(key_id=key_id, key=hashlib.sha256(raw).digest()))
    if not keys:
        raise ImproperlyConfigured("Geen hoofdsleutel in ECD_MASTER_KEYS.")
    return keys


def new_master_key_material() -> str:
    return base64.urlsafe_b64encode(os.urandom(32)).decode().rstrip("=")


def _master(key_id: str) -> MasterKey:
    for key in master_keys():
        if key.key_id == key_id:
            return key
    raise DecryptionError(f"Hoofdsleutel {key_id} is niet geladen.")


def wrap(data_key: bytes, key_ref: uuid.UUID, master: MasterKey) -> bytes:
    nonce = os.urandom(NONCE_BYTES)
    return nonce + AESGCM(master.key).encrypt(
        nonce, data_key, b"datakey:" + key_ref.bytes
    )


def unwrap(wrapped: bytes, key_ref: uuid.UUID, master: MasterKey) -> bytes:
    try:
        return AESGCM(master.key).decrypt(
            wrapped[:NONCE_BYTES], wrapped[NONCE_BYTES:], b"datakey:" + key_ref.bytes
        )
    except InvalidTag as exc:
        raise DecryptionError(
            f"Datasleutel {key_ref} past niet bij hoofdsleutel."
        ) from exc


class _KeyCache:
    """Unwrapped data keys, per process, for a short time."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._keys: dict[uuid.UUID, tuple[float, bytes]] = {}

    def get(self, key_ref: uuid.UUID) -> bytes | None:
        with self._lock:
            hit = self._keys.get(key_ref)
        if hit and hit[0] > time.monotonic():
            return hit[1]
        return None

    def put(self, key_ref: uuid.UUID, key: bytes) -> None:
        with self._lock:
            if len(self._keys) > 10_000:
                self._keys.clear()
            self._keys[key_ref] = (time.monotonic() + KEY_CACHE_SECONDS, key)

    def forget(self, key_ref: uuid.UUID | None = None) -> None:
        with self._lock:
            if key_ref is None:
                self._keys.clear()
            else:
                self._keys.pop(key_ref, None)


key_cache = _KeyCache()


def _data_key_model() -> type[DataKey]:
    # keystore.fields (every app's models import it) imports this module while Django is
    # still loading models, so the key store's own model is read when first used.
    from keystore.models import DataKey

    return DataKey


def create_data_key() -> uuid.UUID:
    """Make and store a new data key; committed in the key store before any use."""
    DataKey = _data_key_model()

    key_ref = uuid.uuid4()
    master = master_keys()[0]
    key = AESGCM.generate_key(bit_length=256)
    # Committed on its own: ciphertext must never outlive the commit of its key.
    with transaction.atomic(using="keys"):
        DataKey.objects.create(
            id=key_ref, master_key_id=master.key_id, wrapped=wrap(key, key_ref, master)
        )
    key_cache.put(key_ref, key)
    return key_ref


def data_key(key_ref: uuid.UUID) -> bytes:
    DataKey = _data_key_model()

    cached = key_cache.get(key_ref)
    if cached is not None:
        return cached
    row = (
        DataKey.objects.filter(id=key_ref)
        .values_list("master_key_id", "wrapped")
        .first()
    )
    if row is None or row[1] is None:
        raise KeyDestroyedError(str(key_ref))
    key = unwrap(bytes(row[1]), key_ref, _master(row[0]))
    key_cache.put(key_ref, key)
    return key


def load_data_keys(key_refs: Iterable[uuid.UUID], *, batch: int = 1000) -> None:
    """Unwrap many data keys with one query per batch into the cache, so that a list of
    clients (each with a key of its own) decrypts without a query per client. Destroyed
    and unknown keys are left out: reading them raises as before."""
    DataKey = _data_key_model()
    missing = list({k for k in key_refs if key_cache.get(k) is None})
    for start in range(0, len(missing), batch):
        rows = DataKey.objects.filter(
            id__in=missing[start : start + batch], wrapped__isnull=False
        ).values_list("id", "master_key_id", "wrapped")
        for key_ref, master_key_id, wrapped in rows:
            key_cache.put(
                key_ref, unwrap(bytes(wrapped or b""), key_ref, _master(master_key_id))
            )


def destroy_data_key(key_ref: uuid.UUID) -> None:
    DataKey = _data_key_model()

    DataKey.objects.filter(id=key_ref).update(
        wrapped=None, master_key_id="", destroyed_at=timezone.now()
    )
    key_cache.forget(key_ref)


def aad_for(table: str, column: str, row_id: object) -> bytes:
    return f"{table}|{column}|{row_id}".encode()


def encrypt_bytes(plaintext: bytes, *, key_ref: uuid.UUID, aad: bytes) -> bytes:
    nonce = os.urandom(NONCE_BYTES)
    return nonce + AESGCM(data_key(key_ref)).encrypt(nonce, plaintext, aad)


def decrypt_bytes(blob: bytes, *, key_ref: uuid.UUID, aad: bytes) -> bytes:
    if len(blob) < NONCE_BYTES + 16:
        raise DecryptionError("Versleutelde waarde is beschadigd (te kort).")
    try:
        return AESGCM(data_key(key_ref)).decrypt(
            blob[:NONCE_BYTES], blob[NONCE_BYTES:], aad
        )
    except InvalidTag as exc:
        raise DecryptionError(
            "Versleutelde waarde is beschadigd of hoort niet op deze plek."
        ) from exc


def encrypt_text(plaintext: str, *, key_ref: uuid.UUID, aad: bytes) -> str:
    blob = encrypt_bytes(
        plaintext.encode("utf-8", "surrogatepass"), key_ref=key_ref, aad=aad
    )
    return PREFIX + base64.b64encode(blob).decode("ascii")


def decrypt_text(token: str, *, key_ref: uuid.UUID, aad: bytes) -> str:
    if not token.startswith(PREFIX):
        raise DecryptionError("Waarde is niet versleuteld opgeslagen.")
    try:
        blob = base64.b64decode(token[len(PREFIX) :], validate=True)
    except ValueError as exc:
        raise DecryptionError(
            "Versleutelde waarde is beschadigd (geen base64)."
        ) from exc
    return decrypt_bytes(blob, key_ref=key_ref, aad=aad).decode(
        "utf-8", "surrogatepass"
    )


def blind_index(value: str, *, purpose: str) -> str:
    """Keyed hash for equality lookups (e.g. BSN uniqueness) without storing the value."""
    key = hashlib.sha256(
        ("blind-index:" + settings.ECD_BLIND_INDEX_KEY).encode()
    ).digest()
    return hmac.new(key, f"{purpose}:{value}".encode(), hashlib.sha256).hexdigest()


def rewrap_batch(*, batch_size: int = 500) -> int:
    """Re-wrap up to batch_size data keys not yet under the newest master key.

    Each batch commits on its own, so the command is resumable and safe while the app serves.
    """
    DataKey = _data_key_model()

    newest = master_keys()[0]
    with transaction.atomic(using="keys"):
        rows = list(
            DataKey.objects.select_for_update(skip_locked=True)
            .filter(wrapped__isnull=False)
            .exclude(master_key_id=newest.key_id)
            .order_by("id")[:batch_size]
        )
        for row in rows:
            key = unwrap(bytes(row.wrapped or b""), row.id, _master(row.master_key_id))
            row.wrapped = wrap(key, row.id, newest)
            row.master_key_id = newest.key_id
            row.rotated_at = timezone.now()
            row.save(update_fields=["wrapped", "master_key_id", "rotated_at"])
    return len(rows)


def keys_not_on_newest_master() -> int:
    DataKey = _data_key_model()

    newest = master_keys()[0]
    return (
        DataKey.objects.filter(wrapped__isnull=False)
        .exclude(master_key_id=newest.key_id)
        .count()
    )
