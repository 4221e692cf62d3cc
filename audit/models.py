"""The access log (Wabvpz art. 15e, NEN 7513). Append-only: see migration 0002's triggers."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    CREATE = "C", _("aangemaakt")
    READ = "R", _("bekeken")
    UPDATE = "U", _("gewijzigd")
    DELETE = "D", _("verwijderd")
    EXECUTE = "E", _("uitgevoerd")


class Outcome(models.TextChoices):
    SUCCESS = "success", _("toegestaan")
    DENIED = "denied", _("geweigerd")
    ERROR = "error", _("fout")


class Basis(models.TextChoices):
    OWN = "own", _("eigen zorgverlener")
    GRANT = "grant", _("toestemming cliënt")
    INSPECTOR = "inspector", _("inspectiemandaat IGJ")
    SELF = "self", _("cliënt zelf")
    # A representative acting for the client (WGBO 7:465); basis_ref: the representation.
    REPRESENTATIVE = "proxy", _("vertegenwoordiger")
    NONE = "none", _("geen")


class AccessEvent(models.Model):
    """One line of the access log. Holds names of fields, never their values."""

    chain = models.CharField(max_length=40)
    seq = models.BigIntegerField()
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)
    occurred_at = models.DateTimeField(db_index=True)

    actor_id = models.BigIntegerField(null=True)
    actor_name = models.CharField(max_length=300, blank=True)
    actor_role = models.CharField(max_length=20, blank=True)
    actor_agb = models.CharField(max_length=8, blank=True)
    responsible_id = models.BigIntegerField(null=True)
    responsible_name = models.CharField(max_length=300, blank=True)
    purpose = models.CharField(max_length=40, blank=True)

    practice_id = models.UUIDField(null=True)
    client_id = models.UUIDField(null=True)
    dossier_id = models.UUIDField(null=True)

    action = models.CharField(max_length=1, choices=Action.choices)
    event_type = models.CharField(max_length=40)
    object_type = models.CharField(max_length=40, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    fields = models.JSONField(default=list, blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    checks = models.JSONField(default=dict, blank=True)
    basis = models.CharField(max_length=10, choices=Basis.choices, default=Basis.NONE)
    basis_ref = models.CharField(max_length=64, blank=True)
    case_reference = models.CharField(max_length=100, blank=True)
    emergency = models.BooleanField(default=False)
    recipient = models.CharField(max_length=300, blank=True)
    detail = models.CharField(max_length=300, blank=True)

    source_ip = models.GenericIPAddressField(null=True)
    source_system = models.CharField(max_length=40, default="ecd")
    request_id = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("toegangsgebeurtenis")
        verbose_name_plural = _("toegangslog")
        constraints = [
            models.UniqueConstraint(
                fields=["chain", "seq"], name="accessevent_chain_seq"
            )
        ]
        indexes = [
            models.Index(
                fields=["client_id", "-occurred_at"], name="accessevent_client_time"
            ),
            models.Index(
                fields=["dossier_id", "-occurred_at"], name="accessevent_dossier_time"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.chain}#{self.seq} {self.event_type}"


class ChainHead(models.Model):
    """The last event of one chain; its row lock serialises appends to that chain."""

    chain = models.CharField(max_length=40, primary_key=True)
    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)
    # The hash before `hash`: lets one UPDATE move the head and hand the old hash back
    # (RETURNING shows only new values), so linking an event is a single statement.
    prev_hash = models.CharField(max_length=64, default="0" * 64)

    def __str__(self) -> str:
        return f"{self.chain}@{self.seq}"


NOBODY = 0  # DayLine.actor_id of an event without a signed-in actor
NO_PRACTICE = uuid.UUID(int=0)  # DayLine.practice_id of an event outside any practice

# What makes two events of one client on one day the same who-saw-what line.
LINE_KEY = (
    "client_id",
    "day",
    "actor_id",
    "actor_name",
    "actor_role",
    "action",
    "object_type",
    "basis",
    "case_reference",
    "outcome",
    "emergency",
    "practice_id",
)


class DayLine(models.Model):
    """One line of a client's who-saw-what (Wabvpz art. 15e): the events of one day that
    share actor, action, part, basis and outcome, counted.

    Derived from the access log and kept up to date by the statement that appends each
    event (`audit.services`), in the same transaction, so the portal reads a client's
    lines instead of regrouping millions of events. The key has no NULLs (NOBODY,
    NO_PRACTICE) so that one unique index decides which line an event adds to on every
    database.
    """

    client_id = models.UUIDField()
    day = models.DateField()
    actor_id = models.BigIntegerField(default=NOBODY)
    actor_name = models.CharField(max_length=300, blank=True)
    actor_role = models.CharField(max_length=20, blank=True)
    action = models.CharField(max_length=1, choices=Action.choices)
    object_type = models.CharField(max_length=40, blank=True)
    basis = models.CharField(max_length=10, choices=Basis.choices)
    case_reference = models.CharField(max_length=100, blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    emergency = models.BooleanField(default=False)
    practice_id = models.UUIDField(default=NO_PRACTICE)
    count = models.PositiveIntegerField()
    first = models.DateTimeField()
    last = models.DateTimeField()

    class Meta:
        verbose_name = _("regel wie-keek-wat")
        verbose_name_plural = _("regels wie-keek-wat")
        # The key's index also serves a client's newest days first. Nothing that an event
        # changes (count, first, last) is indexed, so counting one is a HOT update in
        # PostgreSQL: no new index entries however often one line is counted.
        constraints = [models.UniqueConstraint(fields=LINE_KEY, name="dayline_key")]

    def __str__(self) -> str:
        return f"{self.day} {self.action} {self.object_type} ×{self.count}"
