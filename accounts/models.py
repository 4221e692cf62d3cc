from __future__ import annotations

import uuid

from django.contrib.auth.models import AbstractUser
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

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
    """A single-use, expiring link with which a client creates their portal account."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    client = models.ForeignKey(
        "dossiers.Client", on_delete=models.CASCADE, related_name="invitations"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    email = models.EmailField()
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("uitnodiging")

    def __str__(self) -> str:
        return f"Uitnodiging {self.id}"
