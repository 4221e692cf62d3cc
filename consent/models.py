"""Who besides the owning zorgverlener may see a dossier, and on what recorded basis."""

from __future__ import annotations

import datetime
import uuid
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Practice
from keystore.fields import EncryptedTextField

MAX_MANDATE_DAYS = 30


class ConsentMethod(models.TextChoices):
    WRITTEN = "schriftelijk", _("schriftelijk")
    ORAL = "mondeling", _("mondeling")
    PORTAL = "portaal", _("via het cliëntportaal")


class GrantQuerySet(models.QuerySet["AccessGrant"]):
    def active(self, today: datetime.date | None = None) -> GrantQuerySet:
        """Not revoked, and today within the window: the one definition of "active"."""
        today = today or timezone.localdate()
        return self.filter(
            revoked_at__isnull=True, valid_from__lte=today, valid_until__gte=today
        )


class AccessGrant(models.Model):
    """A colleague's access to one client's dossier, with the client's recorded consent."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    practice = models.ForeignKey(
        Practice, on_delete=models.PROTECT, related_name="+", editable=False
    )
    client = models.ForeignKey(
        "dossiers.Client",
        on_delete=models.PROTECT,
        related_name="grants",
        editable=False,
    )
    key_ref = models.UUIDField(editable=False)
    colleague = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("collega"),
        on_delete=models.PROTECT,
        related_name="grants",
    )
    can_write = models.BooleanField(_("mag ook schrijven"), default=False)
    valid_from = models.DateField(_("geldig vanaf"))
    valid_until = models.DateField(_("geldig tot en met"))
    consent_given_on = models.DateField(_("toestemming cliënt gegeven op"))
    consent_method = models.CharField(
        _("hoe gaf de cliënt toestemming"), max_length=12, choices=ConsentMethod.choices
    )
    consent_note = EncryptedTextField(
        _("toelichting of vindplaats van het toestemmingsformulier"), blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(_("ingetrokken op"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    ENCRYPTED: ClassVar[tuple[str, ...]] = ("consent_note",)

    objects = GrantQuerySet.as_manager()

    class Meta:
        verbose_name = _("toegang voor een collega")
        verbose_name_plural = _("toegang voor collega's")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__gte=models.F("valid_from")),
                name="grant_until_after_from",
            ),
        ]

    def __str__(self) -> str:
        return f"Toegang {self.id}"

    def is_active(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.revoked_at is None and self.valid_from <= today <= self.valid_until

    @property
    def is_revocable(self) -> bool:
        """Not revoked and not over yet: an active grant, or one that starts later."""
        return self.revoked_at is None and timezone.localdate() <= self.valid_until

    @property
    def starts_later(self) -> bool:
        return timezone.localdate() < self.valid_from


class InspectorMandate(models.Model):
    """An IGJ inspector's time-boxed, read-only access for one case."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    practice = models.ForeignKey(
        Practice, on_delete=models.PROTECT, related_name="+", editable=False
    )
    inspector = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="mandate",
        editable=False,
    )
    case_reference = models.CharField(_("zaaknummer IGJ"), max_length=100)
    valid_from = models.DateTimeField(_("geldig vanaf"))
    valid_until = models.DateTimeField(_("geldig tot"))
    all_clients = models.BooleanField(_("alle dossiers van de praktijk"), default=False)
    clients = models.ManyToManyField(
        "dossiers.Client", verbose_name=_("gekozen dossiers"), blank=True
    )
    may_export = models.BooleanField(_("mag afschriften downloaden"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("inspectiemandaat")
        verbose_name_plural = _("inspectiemandaten")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__gt=models.F("valid_from")),
                name="mandate_until_after_from",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_reference}"

    def is_active(self, now: datetime.datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.valid_from <= now < self.valid_until

    @property
    def has_ended(self) -> bool:
        return self.valid_until <= timezone.now()
