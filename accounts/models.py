from __future__ import annotations

import uuid

from django.contrib.auth.models import AbstractUser
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from keystore import crypto
from keystore.fields import EncryptedTextField

EMAIL_INDEX = "user-email"


def email_index(email: str) -> str:
    """Blind index of an e-mail address: finds an account without a clear column."""
    return crypto.blind_index(email.strip().lower(), purpose=EMAIL_INDEX)


class PublicIdEncryptedTextField(EncryptedTextField):
    """Bound to the row's public_id, which exists before the row's first INSERT."""

    def aad(self, instance: object) -> bytes:
        return crypto.aad_for(
            self.model._meta.db_table,
            str(self.column),
            instance.public_id,  # type: ignore[attr-defined]
        )


agb_validator = RegexValidator(
    r"^\d{8}$", _("Een AGB-code bestaat uit precies 8 cijfers.")
)


class Practice(models.Model):
    """The praktijk of a zzp'er: the owner of every clinical row (tenant key)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("naam"), max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("praktijk")
        verbose_name_plural = _("praktijken")

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    CAREGIVER = "zorgverlener", _("zorgverlener")
    CLIENT = "client", _("cliënt")
    INSPECTOR = "inspecteur", _("IGJ-inspecteur")
    STAFF = "beheerder", _("beheerder")


class User(AbstractUser):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    role = models.CharField(
        _("rol"), max_length=20, choices=Role.choices, default=Role.CAREGIVER
    )
    practice = models.ForeignKey(
        Practice,
        verbose_name=_("praktijk"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    profession = models.CharField(_("beroep"), max_length=100, blank=True)
    agb_code = models.CharField(
        _("AGB-code"), max_length=8, blank=True, validators=[agb_validator]
    )
    # E-mail at rest (#26): AbstractUser's `email` column stays empty; the address is
    # encrypted under `key_ref` (a client's own data key for a portal account, so
    # destruction shreds it in every backup) and found through its blind index.
    key_ref = models.UUIDField(null=True, blank=True, editable=False)
    email_sealed = PublicIdEncryptedTextField(_("e-mailadres"), blank=True)
    email_index = models.CharField(
        max_length=64, blank=True, db_index=True, editable=False
    )

    EMAIL_FIELD = "contact_email"

    class Meta:
        verbose_name = _("gebruiker")
        verbose_name_plural = _("gebruikers")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role="zorgverlener")
                | models.Q(practice__isnull=False),
                name="caregiver_has_practice",
            )
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def contact_email(self) -> str:
        """The decrypted e-mail address ('' when none, '[vernietigd]' after shredding)."""
        return str(self.email_sealed or self.email or "")

    @contact_email.setter
    def contact_email(self, value: str) -> None:
        value = (value or "").strip()
        self.email = ""
        self.email_sealed = value
        self.email_index = email_index(value) if value else ""

    def save(self, *args: object, **kwargs: object) -> None:
        if self.email:  # written the Django way (forms, createsuperuser): seal it
            self.contact_email = self.email
        if self.email_sealed and not self.key_ref:
            self.key_ref = crypto.create_data_key()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "email_sealed" in update_fields:  # type: ignore[operator]
            kwargs["update_fields"] = {
                *update_fields,
                "email",
                "email_index",
                "key_ref",
            }  # type: ignore[misc]
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username

    @property
    def is_caregiver(self) -> bool:
        return self.role == Role.CAREGIVER

    @property
    def is_client(self) -> bool:
        return self.role == Role.CLIENT

    @property
    def is_inspector(self) -> bool:
        return self.role == Role.INSPECTOR


class UserSession(models.Model):
    """Which sessions belong to whom, so a user can see and end their other sessions."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="sessions")
    session_key = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    ip_address = models.GenericIPAddressField(null=True)
    user_agent = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("sessie")

    def __str__(self) -> str:
        return f"sessie van {self.user_id}"


class Invitation(models.Model):
    """A single-use, expiring link with which a client (or, with `representation`, their
    representative) creates their portal account."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    client = models.ForeignKey(
        "dossiers.Client", on_delete=models.CASCADE, related_name="invitations"
    )
    representation = models.ForeignKey(
        "consent.Representation",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    token_hash = models.CharField(max_length=64, unique=True)
    # Encrypted under the client's data key (#26): shredded with the dossier.
    key_ref = models.UUIDField(null=True, editable=False)
    email = EncryptedTextField(_("e-mailadres"))
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("uitnodiging")

    def __str__(self) -> str:
        return f"Uitnodiging {self.id}"

    def save(self, *args: object, **kwargs: object) -> None:
        if not self.key_ref:
            self.key_ref = self.client.key_ref
        super().save(*args, **kwargs)  # type: ignore[arg-type]
