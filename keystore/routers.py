"""Keeps the data keys in their own database (alias "keys"), apart from the ciphertext."""

from __future__ import annotations

from typing import Any

KEYS_ALIAS = "keys"


class KeystoreRouter:
    def db_for_read(self, model: Any, **hints: Any) -> str | None:
        return KEYS_ALIAS if model._meta.app_label == "keystore" else None

    db_for_write = db_for_read

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        if "keystore" in {obj1._meta.app_label, obj2._meta.app_label}:
            return bool(obj1._meta.app_label == obj2._meta.app_label)
        return None

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        if app_label == "keystore":
            return db == KEYS_ALIAS
        return db != KEYS_ALIAS
