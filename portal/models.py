"""Requests by which a client uses their rights (WGBO, AVG), and the decisions on them."""

from __future__ import annotations

import calendar
import datetime
import uuid
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Practice
from keystore.fields import EncryptedTextField


class RequestKind(models.TextChoices):
    CORRECTION = "correctie", _("correctie van gegevens")
    DESTRUCTION = "vernietiging", _("vernietiging van (een deel van) het dossier")
    RESTRICTION = "beperking", _("beperking van de verwerking")
    OBJECTION = "bezwaar", _("bezwaar tegen de verwerking")
    COPY = "afschrift", _("afschrift in elektronische vorm")


class RequestStatus(models.TextChoices):
    OPEN = "open", _("in behandeling")
    GRANTED = "toegekend", _("toegekend")
    PARTLY = "deels", _("deels toegekend")
    REFUSED = "afgewezen", _("afgewezen")


def deadline_for(kind: str, filed_on: datetime.date) -> datetime.date:
    """AVG art. 12: one month; WGBO art. 7:455: destruction within three months."""
    return add_months(filed_on, 3 if kind == RequestKind.DESTRUCTION else 1)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day n months later, or the month's last day (31 January + 1 month = 28/29 February)."""
    years, month_index = divmod(day.month - 1 + months, 12)
    year, month = day.year + years, month_index + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


class RightsRequest(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    practice = models.ForeignKey(
        Practice, on_delete=models.PROTECT, related_name="+", editable=False
    )
    client = models.ForeignKey(
        "dossiers.Client", on_delete=models.PROTECT, related_name="rights_requests"
    )
    key_ref = models.UUIDField(editable=False)
    kind = models.CharField(
        _("soort verzoek"), max_length=15, choices=RequestKind.choices
    )
    reason = EncryptedTextField(_("toelichting"))
    filed_at = models.DateTimeField(auto_now_add=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    deadline = models.DateField(_("uiterste datum"))
    status = models.CharField(
        _("besluit"),
        max_length=10,
        choices=RequestStatus.choices,
        default=RequestStatus.OPEN,
    )
    decision_reason = EncryptedTextField(_("motivering"), blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    ENCRYPTED: ClassVar[tuple[str, ...]] = ("reason", "decision_reason")

    class Meta:
        verbose_name = _("verzoek van de cliënt")
        verbose_name_plural = _("verzoeken van cliënten")
        ordering = ["deadline", "filed_at"]

    def __str__(self) -> str:
        return f"Verzoek {self.id}"
