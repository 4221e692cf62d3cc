"""What a practice shows about how it keeps its dossiers: routine results, its privacy
statement, and the dossiers it keeps for or with an opdrachtgever (onderaannemer)."""

from __future__ import annotations

import uuid
from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Practice


def validate_phone(value: str) -> None:
    """A Dutch or international number a client can dial: digits, spaces, +, - and ()."""
    digits = [ch for ch in value if ch.isdigit()]
    allowed = set("0123456789 +-()")
    if not value.isascii() or set(value) - allowed or not 10 <= len(digits) <= 15:
        raise ValidationError(
            _("Vul een telefoonnummer in, bijvoorbeeld 030-1234567 of +31 30 123 4567.")
        )


class Routine(models.TextChoices):
    VERIFY_AUDIT = "verify_audit", _("controle toegangslog (verify_audit)")
    CHECKPOINT = "audit_checkpoint", _("checkpoint toegangslog")
    BACKUP = "backup", _("back-up hoofddatabase")
    KEYSTORE_BACKUP = "backup_keys", _("back-up sleutelopslag")
    REQUEST_DEADLINES = (
        "request_deadlines",
        _("termijnen van verzoeken (notify_deadlines)"),
    )


class RoutineRun(models.Model):
    """The last results of the routine jobs; the whole installation, not one practice."""

    routine = models.CharField(max_length=30, choices=Routine.choices)
    finished_at = models.DateTimeField(auto_now_add=True)
    ok = models.BooleanField()
    detail = models.CharField(max_length=200, blank=True)

    class Meta:
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["routine", "-finished_at"], name="routine_latest")
        ]

    def __str__(self) -> str:
        return f"{self.routine} {self.finished_at:%Y-%m-%d %H:%M}"


class PrivacyStatement(models.Model):
    """One published version of a practice's privacy statement; never changed afterwards.

    The legal grounds, retention terms and rights are filled in from the practice's own
    dossiers when the page is shown; what the zzp'er writes is the rest.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    practice = models.ForeignKey(
        Practice, on_delete=models.PROTECT, related_name="privacy_statements"
    )
    version = models.PositiveIntegerField(editable=False)
    contact = models.TextField(
        _("contactgegevens van de praktijk"),
        help_text=_("Naam, adres, telefoon en e-mail waarop cliënten u bereiken."),
    )
    phone = models.CharField(
        _("telefoonnummer van de praktijk"),
        max_length=30,
        blank=True,
        validators=[validate_phone],
        help_text=_("Staat op elke pagina van het cliëntportaal."),
    )
    complaints = models.TextField(
        _("klachtenregeling"),
        help_text=_(
            "Bij welke klachtenregeling en geschilleninstantie u bent aangesloten."
        ),
    )
    purposes = models.TextField(
        _("waarvoor u gegevens gebruikt"),
        help_text=_("Bijvoorbeeld: zorg verlenen, declareren, de wet naleven."),
    )
    extra = models.TextField(_("verder"), blank=True)
    published_at = models.DateTimeField(auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-version"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["practice", "version"], name="privacy_one_version_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.practice} v{self.version}"


class LeadingDossier(models.TextChoices):
    OWN = "eigen", _("mijn eigen dossier in dit ECD")
    CLIENT_ORGANISATION = "opdrachtgever", _("het dossier van de opdrachtgever")


class Subcontract(models.Model):
    """Care given as onderaannemer: for whom, since when, and whose dossier leads."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="+")
    client = models.OneToOneField(
        "dossiers.Client", on_delete=models.CASCADE, related_name="subcontract"
    )
    principal = models.CharField(_("opdrachtgever"), max_length=200)
    agreed_on = models.DateField(_("datum schriftelijke overeenkomst"))
    leading = models.CharField(
        _("welk dossier is leidend"), max_length=15, choices=LeadingDossier.choices
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.principal


class CheckResult(models.TextChoices):
    PRESENT = "aanwezig", _("aanwezig")
    MISSING = "ontbreekt", _("ontbreekt")
    NOT_APPLICABLE = "nvt", _("niet van toepassing")


class PrincipalDossierCheck(models.Model):
    """A dated check of the opdrachtgever's dossier against the Wkkgz items.

    `items` maps each item key of `practice.wkkgz.ITEMS` to its result, a note and the
    follow-up agreed with the opdrachtgever. Notes describe the dossier's keeping, not the
    client's health, and are kept in clear.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    subcontract = models.ForeignKey(
        Subcontract, on_delete=models.CASCADE, related_name="checks"
    )
    checked_on = models.DateField(_("gecontroleerd op"))
    items = models.JSONField(default=dict)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-checked_on", "-created_at"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(
                condition=~Q(items={}), name="principal_check_has_items"
            )
        ]

    def __str__(self) -> str:
        return f"{self.subcontract} {self.checked_on}"

    def missing(self) -> list[str]:
        return [k for k, v in self.items.items() if v.get("result") == "ontbreekt"]
