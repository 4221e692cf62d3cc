"""Encrypted model fields. The model must have a `key_ref` (the client's data key id).

Values are decrypted lazily, on first attribute access, through a descriptor that knows
the row (table, column, id) the ciphertext belongs to. Filtering or bulk-updating on an
encrypted column raises instead of silently matching nothing.
"""

from __future__ import annotations

import base64
import datetime
from typing import Any

from django.conf import settings
from django.core import validators
from django.db import models
from django.utils.translation import gettext_lazy as _

from keystore import crypto

PLAIN_PREFIX = "p0:"  # only written when encryption is switched off for a benchmark


class Sealed:
    """A ciphertext as read from the database, not yet decrypted."""

    __slots__ = ("token",)

    def __init__(self, token: str | bytes) -> None:
        self.token = token

    def __repr__(self) -> str:
        return "<Sealed>"


class Destroyed(str):
    """What a field reads as after its data key was destroyed: a clear state, not an error."""

    __slots__ = ()

    def __new__(cls) -> Destroyed:
        return super().__new__(cls, str(_("[vernietigd]")))


class _Ciphertext(str):
    """Marks a value that pre_save has already encrypted."""

    __slots__ = ()


class _EncryptedDescriptor:
    def __init__(self, field: EncryptedFieldMixin) -> None:
        self.field = field

    def __get__(self, instance: Any, owner: Any = None) -> Any:
        if instance is None:
            return self
        value = instance.__dict__.get(self.field.attname)
        if isinstance(value, Sealed):
            value = self.field.open(instance, value)
            instance.__dict__[self.field.attname] = value
            instance.__dict__[self.field.sealed_attname] = True
        return value

    def __set__(self, instance: Any, value: Any) -> None:
        instance.__dict__[self.field.attname] = value
        instance.__dict__.pop(self.field.sealed_attname, None)


class EncryptedFieldMixin:
    attname: str
    model: type[models.Model]
    binary = False

    @property
    def sealed_attname(self) -> str:
        return f"_{self.attname}_from_db"

    def contribute_to_class(
        self, cls: type[models.Model], name: str, *args: Any, **kwargs: Any
    ) -> None:
        super().contribute_to_class(cls, name, *args, **kwargs)  # type: ignore[misc]
        setattr(cls, self.attname, _EncryptedDescriptor(self))

    def aad(self, instance: Any) -> bytes:
        return crypto.aad_for(self.model._meta.db_table, str(self.column), instance.pk)  # type: ignore[attr-defined]

    def open(self, instance: Any, sealed: Sealed) -> Any:
        token = sealed.token
        if isinstance(token, str) and token.startswith(PLAIN_PREFIX):
            return self.from_text(token[len(PLAIN_PREFIX) :])
        try:
            if self.binary:
                blob = token if isinstance(token, bytes) else token.encode()
                return crypto.decrypt_bytes(
                    blob, key_ref=instance.key_ref, aad=self.aad(instance)
                )
            return self.from_text(
                crypto.decrypt_text(
                    str(token), key_ref=instance.key_ref, aad=self.aad(instance)
                )
            )
        except crypto.KeyDestroyedError:
            return b"" if self.binary else self.destroyed()

    def from_text(self, text: str) -> Any:
        """The value a decrypted text stands for (a str here; a date for dates)."""
        return text

    def to_text(self, value: Any) -> str:
        return str(value)

    def destroyed(self) -> Any:
        return Destroyed()

    def seal(self, instance: Any, value: Any) -> Any:
        if self.binary:
            return crypto.encrypt_bytes(
                bytes(value), key_ref=instance.key_ref, aad=self.aad(instance)
            )
        text = self.to_text(value)
        if not settings.ECD_ENCRYPTION_ENABLED:
            return _Ciphertext(PLAIN_PREFIX + text)
        return _Ciphertext(
            crypto.encrypt_text(text, key_ref=instance.key_ref, aad=self.aad(instance))
        )

    def pre_save(self, model_instance: Any, add: bool) -> Any:
        raw = model_instance.__dict__.get(self.attname)
        if raw is None or (raw == "" and not self.binary):
            return raw
        if isinstance(raw, Sealed):  # unchanged since it was read: keep the ciphertext
            return raw.token if self.binary else _Ciphertext(raw.token)
        if isinstance(raw, Destroyed):
            raise crypto.KeyDestroyedError(
                "Een vernietigd veld kan niet worden opgeslagen."
            )
        if not getattr(model_instance, "key_ref", None):
            raise ValueError(f"{type(model_instance).__name__} heeft geen key_ref.")
        return self.seal(model_instance, raw)

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None or value == "":
            return value
        return Sealed(value)


class EncryptedTextField(EncryptedFieldMixin, models.TextField):  # type: ignore[type-arg]
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.max_length is not None:  # checked on the clear text, before sealing
            self.validators.append(validators.MaxLengthValidator(self.max_length))

    def get_prep_value(self, value: Any) -> Any:
        if value is None or value == "" or isinstance(value, _Ciphertext):
            return str(value) if value is not None else None
        if isinstance(value, Sealed):
            return str(value.token)
        raise TypeError(
            "Versleutelde velden kunnen niet worden gefilterd of in bulk bijgewerkt."
        )

    def to_python(self, value: Any) -> Any:
        return value

    def get_internal_type(self) -> str:
        return "TextField"


class EncryptedDateField(EncryptedFieldMixin, models.DateField):  # type: ignore[type-arg]
    """A date, encrypted as its ISO text (YYYY-MM-DD) in a text column. Reads back as a
    `datetime.date` (None once the data key is destroyed); forms and validators see an
    ordinary DateField. Like every encrypted field it cannot be filtered or ordered on."""

    def from_text(self, text: str) -> datetime.date:
        return datetime.date.fromisoformat(text)

    def to_text(self, value: Any) -> str:
        return self.to_python(value).isoformat()  # type: ignore[no-any-return]

    def destroyed(self) -> None:
        return None

    def get_prep_value(self, value: Any) -> Any:
        if value is None or isinstance(value, _Ciphertext):
            return str(value) if value is not None else None
        if isinstance(value, Sealed):
            return str(value.token)
        raise TypeError(
            "Versleutelde velden kunnen niet worden gefilterd of in bulk bijgewerkt."
        )

    def get_db_prep_value(
        self, value: Any, connection: Any, prepared: bool = False
    ) -> Any:
        return value if prepared else self.get_prep_value(value)

    def get_internal_type(self) -> str:
        return "TextField"

    def value_to_string(self, obj: Any) -> str:
        value: Any = self.value_from_object(obj)
        return value.isoformat() if value else ""


class EncryptedBinaryField(EncryptedFieldMixin, models.BinaryField):  # type: ignore[type-arg]
    binary = True

    def get_db_prep_value(
        self, value: Any, connection: Any, prepared: bool = False
    ) -> Any:
        if isinstance(value, Sealed):
            value = value.token
        return super().get_db_prep_value(value, connection, prepared)

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None:
            return None
        return Sealed(bytes(value))

    def value_to_string(self, obj: Any) -> str:
        return base64.b64encode(bytes(self.value_from_object(obj))).decode("ascii")
