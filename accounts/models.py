from __future__ import annotations

import uuid
from typing import ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from keystore import crypto
from keystore.fields import EncryptedTextField

EMAIL_INDEX = "user-email"


def email_index(email: str) -> str:
    """Blind index of an e-mail address: finds an account without a clear column."""
    return crypto.blind_index(email.strip().lower(), purpose=EMAIL_INDEX)


LOGIN_NAME_INDEX = "login-name"
LOGIN_NAME_PREFIX = "cl-"


def portal_login_name(username: str) -> str:
    """What a portal account's username is stored as (#26): a keyed digest (HMAC, the blind
    index key) of the name the client chose. Login, lockout and "name taken" checks digest
    what is typed; no clear column names the client, so neither does an earlier backup."""
    return (
        LOGIN_NAME_PREFIX + crypto.blind_index(username, purpose=LOGIN_NAME_INDEX)[:48]
    )


def stored_username(typed: str) -> str:
    """The username an account with this typed name is stored under: the digest when a
    portal account has it, else the name as typed."""
    digest = portal_login_name(typed)
    return digest if User.objects.filter(username=digest).exists() else typed


class AccountManager(UserManager["User"]):
    def get_by_natural_key(self, username: str | None) -> User:
        """Staff log in by their clear username; portal clients by the digest of theirs."""
        typed = username or ""
        return self.get(username__in=[typed, portal_login_name(typed)])


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

    objects: ClassVar[AccountManager] = AccountManager()

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
        if self.role == Role.CLIENT:
            # A client's account has no name and a digest for username (#26); a
            # representative's account carries the representative's own name.
            return self.get_full_name() or str(_("cliënt"))
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
    """A single-use, expiring link with which someone chooses their own password.

    For a client it creates the portal account on acceptance (`client` set; with
    `representation`, the representative's own account); for an inspector or a colleague
    the account already exists without a usable password (`account` set), so the
    zorgverlener who made it never knows or sets the password.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    client = models.ForeignKey(
        "dossiers.Client",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    account = models.ForeignKey(
        User,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    representation = models.ForeignKey(
        "consent.Representation",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    token_hash = models.CharField(max_length=64, unique=True)
    # Encrypted under the client's data key (#26): shredded with the dossier; for an
    # account, under the account's own key.
    key_ref = models.UUIDField(null=True, editable=False)
    email = EncryptedTextField(_("e-mailadres"))
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("uitnodiging")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(client__isnull=False, account__isnull=True)
                | models.Q(client__isnull=True, account__isnull=False),
                name="invitation_for_client_or_account",
            )
        ]

    def __str__(self) -> str:
        return f"Uitnodiging {self.id}"

    def save(self, *args: object, **kwargs: object) -> None:
        if not self.key_ref:
            owner = self.client if self.client_id else self.account
            self.key_ref = owner.key_ref  # type: ignore[union-attr]
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class MailSent(models.Model):
    """One reset or invitation mail, kept an hour or so for the rate limits (per address
    and per account). Holds no address: only its blind index."""

    kind = models.CharField(max_length=20)
    address_index = models.CharField(max_length=64)
    account_ref = models.CharField(max_length=64, blank=True)
    sent_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("verstuurde e-mail")
        indexes = [
            models.Index(fields=["kind", "address_index"]),
            models.Index(fields=["kind", "account_ref"]),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.sent_at:%Y-%m-%d %H:%M}"


class SpentResetLink(models.Model):
    """A password-reset link that was used: a later visit says so, in plain words.
    Holds a hash of the token, never the token."""

    token_hash = models.CharField(max_length=64, unique=True)
    used_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("gebruikte herstellink")

    def __str__(self) -> str:
        return f"herstellink {self.used_at:%Y-%m-%d %H:%M}"
