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


ENTRY_PARTS = (
    "goal",
    "treatment",
    "discussion",
    "treatmentconsent",
    "caremoment",
    "experience",
)
"""The dossier's entry kinds by model name (`dossiers.entries.KINDS`): each is read,
added, changed and has a history, so each has its four event types below."""


class EventType(models.TextChoices):
    """Every kind of access event, the one vocabulary of the log (NEN 7513).

    The values are the strings the log has always held: old rows and their hashes stay
    valid. `audit.services.record` accepts nothing else, and `audit.labels` says each one
    in plain Dutch (a test fails for a member without a label). The labels here are for
    staff (admin, filters); a client reads `audit.labels`.
    """

    # Denials and sign-in
    ACCESS_DENIED = "access.denied", _("toegang geweigerd")
    LOGIN = "login", _("ingelogd")
    LOGIN_FAILED = "login.failed", _("inloggen mislukt")
    LOGIN_REFUSED = "login.refused", _("inloggen geweigerd (geblokkeerd)")
    LOGOUT = "logout", _("uitgelogd")
    SESSION_EXPIRED_IDLE = "session.expired.idle", _("sessie verlopen (niets gedaan)")
    SESSION_EXPIRED_ABSOLUTE = (
        "session.expired.absolute",
        _("sessie verlopen (te lang)"),
    )
    SESSION_END_OTHERS = "session.end_others", _("andere sessies beëindigd")
    PASSWORD_CHANGE = "password.change", _("wachtwoord gewijzigd")
    PASSWORD_RESET = "password.reset", _("wachtwoord opnieuw ingesteld")
    PASSWORD_RESET_LINK = "password.reset_link", _("ongeldige herstellink")
    PASSWORD_RESET_LIMITED = "password.reset_limited", _("herstelmail tegengehouden")
    OTP_QR = "otp.qr", _("QR-code tweede stap getoond")
    OTP_SETUP = "otp.setup", _("tweede stap ingesteld")
    OTP_SETUP_FAILED = "otp.setup.failed", _("instellen tweede stap mislukt")
    OTP_VERIFIED = "otp.verified", _("tweede stap gelukt")
    OTP_FAILED = "otp.failed", _("tweede stap mislukt")
    OTP_REUSE = "otp.reuse", _("code tweede stap opnieuw gebruikt")
    OTP_REMOVED = "otp.removed", _("inlogmethode verwijderd")
    OTP_BACKUP_CODES = "otp.backup_codes", _("reservecodes gemaakt")
    OTP_BACKUP_CODES_DOWNLOAD = (
        "otp.backup_codes_download",
        _("reservecodes gedownload"),
    )
    # Client and dossier
    CLIENT_LIST = "client.list", _("cliëntenlijst bekeken")
    CLIENT_SEARCH = "client.search", _("cliënten gezocht")
    CLIENT_VIEW = "client.view", _("persoonsgegevens bekeken")
    CLIENT_CREATE = "client.create", _("cliënt aangemaakt")
    CLIENT_UPDATE = "client.update", _("persoonsgegevens gewijzigd")
    DOSSIER_VIEW = "dossier.view", _("dossier bekeken")
    DOSSIER_CREATE = "dossier.create", _("dossier aangemaakt")
    DOSSIER_UPDATE = "dossier.update", _("dossier gewijzigd")
    DOSSIER_HISTORY_VIEW = "dossier.history.view", _("eerdere versies bekeken")
    DOSSIER_DESTROY = "dossier.destroy", _("dossier vernietigd")
    # Entries (ENTRY_PARTS) and attachments
    GOAL_VIEW = "goal.view", _("doel bekeken")
    GOAL_CREATE = "goal.create", _("doel toegevoegd")
    GOAL_UPDATE = "goal.update", _("doel gewijzigd")
    GOAL_HISTORY_VIEW = "goal.history.view", _("eerdere versies doel bekeken")
    TREATMENT_VIEW = "treatment.view", _("behandeling bekeken")
    TREATMENT_CREATE = "treatment.create", _("behandeling toegevoegd")
    TREATMENT_UPDATE = "treatment.update", _("behandeling gewijzigd")
    TREATMENT_HISTORY_VIEW = (
        "treatment.history.view",
        _("eerdere versies behandeling bekeken"),
    )
    DISCUSSION_VIEW = "discussion.view", _("overleg bekeken")
    DISCUSSION_CREATE = "discussion.create", _("overleg toegevoegd")
    DISCUSSION_UPDATE = "discussion.update", _("overleg gewijzigd")
    DISCUSSION_HISTORY_VIEW = (
        "discussion.history.view",
        _("eerdere versies overleg bekeken"),
    )
    TREATMENTCONSENT_VIEW = "treatmentconsent.view", _("toestemming bekeken")
    TREATMENTCONSENT_CREATE = "treatmentconsent.create", _("toestemming toegevoegd")
    TREATMENTCONSENT_UPDATE = "treatmentconsent.update", _("toestemming gewijzigd")
    TREATMENTCONSENT_HISTORY_VIEW = (
        "treatmentconsent.history.view",
        _("eerdere versies toestemming bekeken"),
    )
    CAREMOMENT_VIEW = "caremoment.view", _("zorgmoment bekeken")
    CAREMOMENT_CREATE = "caremoment.create", _("zorgmoment toegevoegd")
    CAREMOMENT_UPDATE = "caremoment.update", _("zorgmoment gewijzigd")
    CAREMOMENT_HISTORY_VIEW = (
        "caremoment.history.view",
        _("eerdere versies zorgmoment bekeken"),
    )
    EXPERIENCE_VIEW = "experience.view", _("ervaring bekeken")
    EXPERIENCE_CREATE = "experience.create", _("ervaring toegevoegd")
    EXPERIENCE_UPDATE = "experience.update", _("ervaring gewijzigd")
    EXPERIENCE_HISTORY_VIEW = (
        "experience.history.view",
        _("eerdere versies ervaring bekeken"),
    )
    ATTACHMENT_VIEW = "attachment.view", _("bijlage bekeken")
    ATTACHMENT_CREATE = "attachment.create", _("bijlage toegevoegd")
    # Lifecycle (WGBO bewaartermijn, AVG art. 18)
    RETENTION_LIST = "retention.list", _("bewaartermijnen bekeken")
    RETENTION_VIEW = "retention.view", _("bewaartermijn bekeken")
    RETENTION_EXTEND = "retention.extend", _("bewaartermijn verlengd")
    RESTRICTION_VIEW = "restriction.view", _("beperking bekeken")
    RESTRICTION_SET = "restriction.set", _("verwerking beperkt")
    RESTRICTION_LIFT = "restriction.lift", _("beperking opgeheven")
    DESTRUCTION_VIEW = "destruction.view", _("vernietiging voorbereid")
    # Who may see the record
    ACCESSGRANT_VIEW = "accessgrant.view", _("toegang voor collega's bekeken")
    GRANT_CREATE = "grant.create", _("toegang aan collega gegeven")
    GRANT_REVOKE = "grant.revoke", _("toegang van collega ingetrokken")
    INSPECTOR_CREATE = "inspector.create", _("inspectiemandaat gegeven")
    ACCESSLOG_VIEW = "accesslog.view", _("toegangslog bekeken")
    ACCESSLOG_EXPORT = "accesslog.export", _("toegangslog gedownload")
    # Copies (WGBO 7:456, AVG art. 15 and 20)
    EXPORT_VIEW = "export.view", _("afschrift-pagina bekeken")
    EXPORT_JSON = "export.json", _("afschrift JSON gedownload")
    EXPORT_FHIR = "export.fhir", _("afschrift FHIR gedownload")
    EXPORT_PDF = "export.pdf", _("afschrift PDF gedownload")
    EXPORT_PACKAGE = "export.pakket", _("afschrift-pakket gedownload")
    EXPORT_PDF_REQUESTED = "export.pdf.requested", _("afschrift PDF aangevraagd")
    EXPORT_PACKAGE_REQUESTED = (
        "export.pakket.requested",
        _("afschrift-pakket aangevraagd"),
    )
    # The client portal
    INVITATION_VIEW = "invitation.view", _("uitnodiging bekeken")
    INVITATION_CREATE = "invitation.create", _("uitnodiging gemaakt")
    INVITATION_ACCEPT = "invitation.accept", _("uitnodiging aangenomen")
    INVITATION_INVALID = "invitation.invalid", _("ongeldige uitnodiging")
    INVITATION_LIMITED = "invitation.limited", _("uitnodiging tegengehouden")
    COLLEAGUE_CREATE = "colleague.create", _("account voor collega gemaakt")
    REPRESENTATION_VIEW = "representation.view", _("vertegenwoordigers bekeken")
    REPRESENTATION_CREATE = "representation.create", _("vertegenwoordiger vastgelegd")
    REPRESENTATION_END = "representation.end", _("vertegenwoordiging beëindigd")
    REPRESENTATION_REFUSE = "representation.refuse", _("toegang ouder geweigerd")
    REPRESENTATION_ALLOW = "representation.allow", _("weigering ouder opgeheven")
    PORTAL_CHOOSE = "portal.choose", _("gekozen namens wie")
    NOTIFICATIONS_PREFERENCES = "notifications.preferences", _("meldingen ingesteld")
    OWNSTATEMENT_VIEW = "ownstatement.view", _("eigen verklaring bekeken")
    OWNSTATEMENT_CREATE = "ownstatement.create", _("eigen verklaring toegevoegd")
    RIGHTSREQUEST_LIST = "rightsrequest.list", _("verzoeken bekeken")
    RIGHTSREQUEST_VIEW = "rightsrequest.view", _("verzoek bekeken")
    RIGHTSREQUEST_CREATE = "rightsrequest.create", _("verzoek ingediend")
    RIGHTSREQUEST_DECIDE = "rightsrequest.decide", _("verzoek beslist")
    # The practice
    PRACTICE_READINESS = "practice.readiness", _("praktijkoverzicht bekeken")
    PRACTICE_READINESS_PDF = "practice.readiness.pdf", _("praktijkoverzicht PDF")
    PRIVACY_PUBLISH = "privacy.publish", _("privacyverklaring gepubliceerd")
    SUBCONTRACT_VIEW = "subcontract.view", _("onderaanneming bekeken")
    SUBCONTRACT_SAVE = "subcontract.save", _("onderaanneming vastgelegd")
    SUBCONTRACT_CHECK = "subcontract.check", _("hoofdaannemer gecontroleerd")

    @classmethod
    def view_of(cls, part: str) -> EventType:
        """The read of a part (`dossiers.access`): "<part>.view", which must be a member."""
        return cls(f"{part}.view")

    @classmethod
    def create_of(cls, part: str) -> EventType:
        return cls(f"{part}.create")

    @classmethod
    def update_of(cls, part: str) -> EventType:
        return cls(f"{part}.update")


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
    event_type = models.CharField(max_length=40)  # an EventType (record() checks)
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
    "event_type",
    "object_type",
    "recipient",
    "basis",
    "case_reference",
    "outcome",
    "emergency",
    "practice_id",
)


class DayLine(models.Model):
    """One line of a client's who-saw-what (Wabvpz art. 15e): the events of one day that
    share actor, action, event type, part, recipient, basis and outcome, counted.

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
    # What happened and to whom a copy or access went: the line says it in words
    # (`audit.labels`: "ontving een afschrift", "gaf Bram de Vries toegang").
    event_type = models.CharField(max_length=40, default="")  # an EventType
    object_type = models.CharField(max_length=40, blank=True)
    recipient = models.CharField(max_length=300, blank=True, default="")
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
