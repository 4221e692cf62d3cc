"""Who besides the owning zorgverlener may see a dossier, and on what recorded basis."""

from __future__ import annotations

import datetime
import uuid
from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
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


class RepresentationKind(models.TextChoices):
    """Who may act for a client who cannot (WGBO 7:465, 7:447, 7:450)."""

    CURATOR = "curator", _("curator")
    MENTOR = "mentor", _("mentor")
    PARENT = "ouder", _("ouder of voogd")
    AUTHORISED = "gemachtigde", _("schriftelijk gemachtigde")


class RepresentationDocument(models.TextChoices):
    """What shows the representation."""

    COURT_ORDER = "beschikking", _("beschikking van de rechtbank")
    AUTHORISATION = "machtiging", _("schriftelijke machtiging")
    BIRTH_OR_CUSTODY = "gezag", _("uittreksel gezagsregister of geboorteakte")
    OTHER = "anders", _("ander document")


# WGBO 7:447/7:450: under 12 the parents act; from 12 to 15 the minor and the parents both
# (7:457: the parents' access may be refused); from 16 the minor alone.
PARENTS_ONLY_BELOW = 12
PARENTS_END_AT = 16


def age_on(born: datetime.date, day: datetime.date) -> int:
    """Full years on `day` (born 29 February: a year older on 1 March in other years)."""
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def birthday(born: datetime.date, years: int) -> datetime.date:
    """The day someone born on `born` turns `years` (1 March for 29 February)."""
    try:
        return born.replace(year=born.year + years)
    except ValueError:  # 29 February in a year without one
        return datetime.date(born.year + years, 3, 1)


class Representation(models.Model):
    """A representative who acts for a client: a curator, mentor, parent or guardian, or
    someone the client authorised in writing. Part of the client's record (who acts for a
    client says something about them), so the names and references are sealed under the
    client's data key and go with the dossier when it is destroyed."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    practice = models.ForeignKey(
        Practice, on_delete=models.PROTECT, related_name="+", editable=False
    )
    client = models.ForeignKey(
        "dossiers.Client",
        on_delete=models.PROTECT,
        related_name="representations",
        editable=False,
    )
    key_ref = models.UUIDField(editable=False)
    kind = models.CharField(
        _("soort vertegenwoordiger"), max_length=12, choices=RepresentationKind.choices
    )
    name = EncryptedTextField(_("naam van de vertegenwoordiger"))
    document_kind = models.CharField(
        _("waaruit blijkt het"), max_length=12, choices=RepresentationDocument.choices
    )
    document_reference = EncryptedTextField(
        _("kenmerk of omschrijving van het document"),
        help_text=_("Bijvoorbeeld het zaaknummer van de beschikking."),
    )
    document_date = models.DateField(_("datum van het document"))
    valid_from = models.DateField(_("geldig vanaf"))
    valid_until = models.DateField(_("geldig tot en met"), null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="representations",
        editable=False,
    )
    ended_at = models.DateTimeField(_("beëindigd op"), null=True, blank=True)
    # WGBO 7:457: the zorgverlener may refuse a parent's access to a 12-15-year-old's record.
    refused_at = models.DateTimeField(_("toegang geweigerd op"), null=True, blank=True)
    refusal_reason = EncryptedTextField(_("reden van de weigering"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    ENCRYPTED: ClassVar[tuple[str, ...]] = (
        "name",
        "document_reference",
        "refusal_reason",
    )

    class Meta:
        verbose_name = _("vertegenwoordiger")
        verbose_name_plural = _("vertegenwoordigers")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True)
                | Q(valid_until__gte=models.F("valid_from")),
                name="representation_until_after_from",
            ),
            models.CheckConstraint(
                condition=~Q(kind="ouder") | Q(valid_until__isnull=False),
                name="representation_parent_has_end",
            ),
        ]

    def __str__(self) -> str:
        return f"Vertegenwoordiging {self.id}"

    def clean(self) -> None:
        """The age rules that follow from the client's date of birth."""

        born = self.client.date_of_birth
        if self.kind != RepresentationKind.PARENT or not born:
            return
        end = birthday(born, PARENTS_END_AT)
        if self.valid_from and self.valid_from >= end:
            raise ValidationError(
                {
                    "kind": _(
                        "Een ouder of voogd vertegenwoordigt alleen een kind jonger dan 16."
                    )
                }
            )
        if not self.valid_until:
            raise ValidationError(
                {"valid_until": _("Vul in tot wanneer; uiterlijk de 16e verjaardag.")}
            )
        if self.valid_until > end:
            raise ValidationError(
                {
                    "valid_until": _(
                        "Uiterlijk de 16e verjaardag (%(day)s): daarna beslist het kind zelf."
                    )
                    % {"day": end.strftime("%d-%m-%Y")}
                }
            )

    def is_current(self, today: datetime.date | None = None) -> bool:
        """Within its window and not ended (the age rules are `consent.access`'s)."""
        today = today or timezone.localdate()
        return (
            self.ended_at is None
            and self.valid_from <= today
            and (self.valid_until is None or today <= self.valid_until)
        )
