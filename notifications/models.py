"""Content-free e-mail notifications: an outbox of who is to be told that something waits,
never what, and the kinds each person turned off."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Role


class Kind(models.TextChoices):
    REQUEST_FILED = "request_filed", _("een cliënt heeft een verzoek ingediend")
    DEADLINE_SOON = "deadline_soon", _("een verzoek moet binnen 7 dagen beslist zijn")
    DEADLINE_PASSED = "deadline_passed", _("de termijn van een verzoek is voorbij")
    REQUEST_DECIDED = "request_decided", _("er is een besluit over uw verzoek")
    EXPORT_READY = "export_ready", _("een afschrift dat u vroeg, staat klaar")
    READ_BY_OTHER = (
        "read_by_other",
        _("iemand buiten de praktijk van uw zorgverlener keek in uw dossier"),
    )


# Mails nobody can turn off, because a legal term hangs on them: the zorgverlener must
# answer a request within a month (AVG art. 12(3); destruction three months, WGBO 7:455),
# and the client is to be told the outcome (AVG art. 12(3)-(4)). Turning them off would let a
# term pass unseen, the very problem of issue #30.
MANDATORY: frozenset[str] = frozenset(
    {Kind.REQUEST_FILED, Kind.DEADLINE_SOON, Kind.DEADLINE_PASSED, Kind.REQUEST_DECIDED}
)

# The kinds each role can receive, in the order the preferences page lists them.
FOR_ROLE: dict[str, tuple[str, ...]] = {
    Role.CAREGIVER: (
        Kind.REQUEST_FILED,
        Kind.DEADLINE_SOON,
        Kind.DEADLINE_PASSED,
        Kind.EXPORT_READY,
    ),
    Role.CLIENT: (Kind.REQUEST_DECIDED, Kind.EXPORT_READY, Kind.READ_BY_OTHER),
}


class Status(models.TextChoices):
    PENDING = "pending", _("wacht op verzending")
    SENT = "sent", _("verzonden")
    SKIPPED = "skipped", _("niet verzonden: geen e-mailadres")


class Notification(models.Model):
    """One e-mail to send. Written in the transaction of the action it tells about, so an
    action that is rolled back leaves no row and sends nothing; delivered afterwards by
    `notifications.delivery` (never inside that request). Holds no text: the mail says only
    that something waits, the same for every kind."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    # Makes a notification happen at most once: a read by others once per client, day and
    # recipient; a deadline once per request, stage and recipient. NULL for the others.
    dedupe_key = models.CharField(
        max_length=150, null=True, blank=True, unique=True, editable=False
    )
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=100, blank=True)  # the error's class only

    class Meta:
        verbose_name = _("melding")
        verbose_name_plural = _("meldingen")
        indexes: ClassVar[list[models.Index]] = [
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(status="pending"),
                name="notification_due",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient_id} ({self.status})"


class OptOut(models.Model):
    """A kind of notification one person turned off. Only optional kinds (`MANDATORY`)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_opt_outs",
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("uitgezette melding")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["user", "kind"], name="optout_once"),
            models.CheckConstraint(
                condition=~models.Q(kind__in=sorted(MANDATORY)),
                name="optout_only_optional",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} zonder {self.kind}"
