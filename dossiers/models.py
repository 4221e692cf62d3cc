"""The Wkkgz cliëntendossier. Clinical free text and identifiers are encrypted fields."""

from __future__ import annotations

import datetime
import uuid
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Practice
from dossiers.validators import validate_agb, validate_birth_date
from keystore.fields import (
    EncryptedBinaryField,
    EncryptedDateField,
    EncryptedTextField,
)

RETENTION_YEARS = 20  # WGBO 7:454


def add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


class FundingBasis(models.TextChoices):
    ZVW = "zvw", _("Zorgverzekeringswet (Zvw)")
    WLZ = "wlz", _("Wet langdurige zorg (Wlz)")
    WMO = "wmo", _("Wet maatschappelijke ondersteuning (Wmo)")
    YOUTH = "jeugdwet", _("Jeugdwet")
    PRIVATE = "particulier", _("particulier")
    OTHER = "anders", _("anders")


BSN_FUNDING = (FundingBasis.ZVW, FundingBasis.WLZ)


class IdDocumentType(models.TextChoices):
    PASSPORT = "paspoort", _("paspoort")
    ID_CARD = "id-kaart", _("identiteitskaart")
    DRIVING_LICENCE = "rijbewijs", _("rijbewijs")
    RESIDENCE = "verblijfsdocument", _("verblijfsdocument")


class LegalBasis(models.TextChoices):
    """AVG art. 6: the six grounds for processing."""

    CONSENT = "toestemming", _("toestemming van de cliënt")
    CONTRACT = "overeenkomst", _("uitvoering van de (behandel)overeenkomst")
    LEGAL_OBLIGATION = "wettelijke-plicht", _("wettelijke verplichting")
    VITAL_INTEREST = "vitaal-belang", _("vitaal belang")
    PUBLIC_INTEREST = "algemeen-belang", _("taak van algemeen belang")
    LEGITIMATE_INTEREST = "gerechtvaardigd-belang", _("gerechtvaardigd belang")


class ClinicalRow(models.Model):
    """Every clinical row: an opaque id, its practice (owner key) and the client's data key."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    practice = models.ForeignKey(
        Practice, on_delete=models.PROTECT, related_name="+", editable=False
    )
    key_ref = models.UUIDField(editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )

    # Fields sealed under the client's data key; auditlog leaves them out of its diffs.
    ENCRYPTED: ClassVar[tuple[str, ...]] = ()

    class Meta:
        abstract = True


class Client(ClinicalRow):
    # Names and date of birth are encrypted like every other identifying field (#26): an
    # earlier backup restored after destruction cannot show them. Lists, search and
    # ordering therefore happen in memory, per practice (dossiers.clients).
    given_names = EncryptedTextField(_("voornamen"), max_length=200)
    name_prefix = EncryptedTextField(_("tussenvoegsel"), max_length=20, blank=True)
    family_name = EncryptedTextField(_("achternaam"), max_length=200)
    date_of_birth = EncryptedDateField(
        _("geboortedatum"), validators=[validate_birth_date]
    )
    email = EncryptedTextField(_("e-mailadres"), blank=True)
    phone = EncryptedTextField(_("telefoonnummer"), blank=True)
    address = EncryptedTextField(_("adres"), blank=True)
    funding = models.CharField(
        _("financiering van de zorg"), max_length=20, choices=FundingBasis.choices
    )
    bsn = EncryptedTextField(_("BSN"), blank=True)
    bsn_index = models.CharField(max_length=64, null=True, blank=True, editable=False)
    id_document_type = models.CharField(
        _("soort identiteitsbewijs"),
        max_length=20,
        choices=IdDocumentType.choices,
        blank=True,
    )
    id_document_number = EncryptedTextField(_("documentnummer"), blank=True)
    id_checked_on = models.DateField(
        _("identiteit gecontroleerd op"), null=True, blank=True
    )
    id_checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("gecontroleerd door"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    portal_user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="client_record",
    )

    ENCRYPTED: ClassVar[tuple[str, ...]] = (
        "email",
        "phone",
        "address",
        "bsn",
        "id_document_number",
    )

    class Meta:
        verbose_name = _("cliënt")
        verbose_name_plural = _("cliënten")
        constraints = [
            models.UniqueConstraint(
                fields=["practice", "bsn_index"], name="client_bsn_unique_per_practice"
            ),
            models.CheckConstraint(
                condition=Q(funding__in=BSN_FUNDING) | Q(bsn_index__isnull=True),
                name="client_bsn_only_for_zvw_wlz",
            ),
            models.CheckConstraint(
                condition=~Q(funding__in=BSN_FUNDING)
                | (
                    Q(bsn_index__isnull=False)
                    & Q(id_checked_on__isnull=False)
                    & ~Q(id_document_type="")
                ),
                name="client_zvw_wlz_needs_bsn_and_id_check",
            ),
        ]

    def __str__(self) -> str:
        # Not the name: this text ends up in the (append-only) change history.
        return f"Cliënt {self.id}"

    @property
    def full_name(self) -> str:
        return " ".join(
            p for p in (self.given_names, self.name_prefix, self.family_name) if p
        )


class Dossier(ClinicalRow):
    client = models.OneToOneField(
        Client, on_delete=models.PROTECT, related_name="dossier", editable=False
    )
    practitioner_name = models.CharField(_("naam behandelaar"), max_length=200)
    practitioner_profession = models.CharField(_("beroep behandelaar"), max_length=100)
    agb_code = models.CharField(
        _("AGB-code behandelaar"), max_length=8, blank=True, validators=[validate_agb]
    )
    legal_basis = models.CharField(
        _("grondslag (AVG)"), max_length=30, choices=LegalBasis.choices
    )
    circumstances = EncryptedTextField(_("omstandigheden"), blank=True)
    diagnosis = EncryptedTextField(_("diagnose"), blank=True)
    start_date = models.DateField(_("startdatum zorg"))
    end_date = models.DateField(_("einddatum zorg"), null=True, blank=True)
    last_changed_at = models.DateTimeField(
        _("laatste wijziging in het dossier"), auto_now_add=True
    )
    # Counts every logged write to the record (client, dossier, entries, statements); the
    # dossier page's cached body is keyed on it, so a write is never hidden by the cache.
    revision = models.PositiveBigIntegerField(default=0, db_default=0, editable=False)
    retention_extended_until = models.DateField(
        _("langer bewaren tot"), null=True, blank=True
    )
    retention_extension_reason = EncryptedTextField(
        _("reden om langer te bewaren"), blank=True, editable=False
    )
    restricted_at = models.DateTimeField(
        _("verwerking beperkt sinds"), null=True, blank=True, editable=False
    )
    restriction_reason = EncryptedTextField(
        _("reden van de beperking"), blank=True, editable=False
    )

    ENCRYPTED: ClassVar[tuple[str, ...]] = (
        "circumstances",
        "diagnosis",
        "retention_extension_reason",
        "restriction_reason",
    )

    class Meta:
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="dossier_end_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"Dossier {self.id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """A full save of an instance read earlier never moves `revision` back: only
        `services.log_write` moves it, with an UPDATE of its own."""
        if not self._state.adding and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                f.name
                for f in self._meta.concrete_fields
                if not f.primary_key and f.name != "revision"
            ]
        super().save(*args, **kwargs)

    @property
    def retention_until(self) -> datetime.date:
        """WGBO 7:454 (and Jeugdwet 7.3.8): twenty years from the last change, or longer when extended."""
        by_rule = add_years(
            timezone.localtime(self.last_changed_at).date(), RETENTION_YEARS
        )
        extended = self.retention_extended_until
        return max(by_rule, extended) if extended else by_rule

    @property
    def is_restricted(self) -> bool:
        return self.restricted_at is not None


class DossierEntry(ClinicalRow):
    """A row that belongs to one dossier (goal, treatment, care moment, …)."""

    dossier = models.ForeignKey(
        Dossier, on_delete=models.PROTECT, related_name="+", editable=False
    )

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.id}"


class GoalKind(models.TextChoices):
    GOAL = "doel", _("doel")
    PREFERENCE = "voorkeur", _("voorkeur")


class GoalStatus(models.TextChoices):
    OPEN = "lopend", _("lopend")
    ACHIEVED = "behaald", _("behaald")
    ADJUSTED = "bijgesteld", _("bijgesteld")
    STOPPED = "gestopt", _("gestopt")


class Goal(DossierEntry):
    kind = models.CharField(
        _("soort"), max_length=10, choices=GoalKind.choices, default=GoalKind.GOAL
    )
    description = EncryptedTextField(_("omschrijving"))
    status = models.CharField(
        _("status"), max_length=12, choices=GoalStatus.choices, default=GoalStatus.OPEN
    )
    evaluation = EncryptedTextField(_("evaluatie"), blank=True)
    evaluate_on = models.DateField(
        _("evalueren op"),
        null=True,
        blank=True,
        help_text=_("Wanneer u dit doel met de cliënt evalueert."),
    )

    ENCRYPTED: ClassVar[tuple[str, ...]] = ("description", "evaluation")

    class Meta:
        verbose_name = _("doel of voorkeur")
        verbose_name_plural = _("doelen en voorkeuren")
        ordering = ["created_at"]

    def evaluation_overdue(self, today: datetime.date) -> bool:
        """An open goal whose planned evaluation date has passed."""
        return (
            self.status == GoalStatus.OPEN
            and self.evaluate_on is not None
            and self.evaluate_on < today
        )


class Treatment(DossierEntry):
    title = EncryptedTextField(_("behandeling"))
    description = EncryptedTextField(_("toelichting"), blank=True)
    proposed_on = models.DateField(_("voorgesteld op"))
    goals = models.ManyToManyField(
        Goal, verbose_name=_("doelen"), blank=True, related_name="treatments"
    )

    ENCRYPTED: ClassVar[tuple[str, ...]] = ("title", "description")

    class Meta:
        verbose_name = _("voorgestelde behandeling")
        verbose_name_plural = _("voorgestelde behandelingen")
        ordering = ["proposed_on", "created_at"]


class Discussion(DossierEntry):
    held_on = models.DateField(_("datum overleg"))
    minutes = EncryptedTextField(_("kort verslag"))
    treatments = models.ManyToManyField(
        Treatment,
        verbose_name=_("besproken behandelingen"),
        blank=True,
        related_name="discussions",
    )

    ENCRYPTED: ClassVar[tuple[str, ...]] = ("minutes",)

    class Meta:
        verbose_name = _("overleg")
        verbose_name_plural = _("overleg")
        ordering = ["-held_on", "-created_at"]


class ConsentMethod(models.TextChoices):
    ORAL = "mondeling", _("mondeling")
    WRITTEN = "schriftelijk", _("schriftelijk")
    PORTAL = "portaal", _("via het cliëntportaal")


class TreatmentConsent(DossierEntry):
    """Toestemming of the client for an agreed treatment (WGBO informed consent)."""

    treatment = models.ForeignKey(
        Treatment,
        verbose_name=_("behandeling"),
        on_delete=models.PROTECT,
        related_name="consents",
    )
    scope = EncryptedTextField(_("waarvoor"), blank=True)
    given_on = models.DateField(_("gegeven op"))
    method = models.CharField(_("hoe"), max_length=12, choices=ConsentMethod.choices)
    given_by = EncryptedTextField(
        _("gegeven door"),
        help_text=_("De cliënt, of naam en rol van de vertegenwoordiger."),
    )
    withdrawn_on = models.DateField(_("ingetrokken op"), null=True, blank=True)
    withdrawal_note = EncryptedTextField(_("toelichting intrekking"), blank=True)

    ENCRYPTED: ClassVar[tuple[str, ...]] = ("scope", "given_by", "withdrawal_note")

    class Meta:
        verbose_name = _("toestemming")
        verbose_name_plural = _("toestemmingen")
        ordering = ["given_on", "created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(withdrawn_on__isnull=True)
                | Q(withdrawn_on__gte=models.F("given_on")),
                name="consent_withdrawn_after_given",
            )
        ]


class CareMoment(DossierEntry):
    """Zorgmoment: care given, with what was done and the results achieved."""

    date = models.DateField(_("datum"))
    start_time = models.TimeField(_("begintijd"))
    end_time = models.TimeField(_("eindtijd"))
    activities = EncryptedTextField(_("wat is er gedaan"))
    results = EncryptedTextField(_("bereikte resultaten"), blank=True)
    goals = models.ManyToManyField(
        Goal, verbose_name=_("doelen"), blank=True, related_name="care_moments"
    )

    ENCRYPTED: ClassVar[tuple[str, ...]] = ("activities", "results")

    class Meta:
        verbose_name = _("zorgmoment")
        verbose_name_plural = _("zorgmomenten")
        ordering = ["-date", "-start_time", "-created_at"]
        indexes = [
            models.Index(
                fields=["dossier", "-date", "-start_time"], name="caremoment_timeline"
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_time__gt=models.F("start_time")),
                name="caremoment_end_after_start",
            )
        ]


class Experience(DossierEntry):
    """Ervaringen van de cliënt."""

    recorded_on = models.DateField(_("datum"))
    text = EncryptedTextField(_("ervaring van de cliënt"))

    ENCRYPTED: ClassVar[tuple[str, ...]] = ("text",)

    class Meta:
        verbose_name = _("ervaring van de cliënt")
        verbose_name_plural = _("ervaringen van de cliënt")
        ordering = ["-recorded_on", "-created_at"]


class Attachment(DossierEntry):
    title = EncryptedTextField(_("titel"))
    content_type = models.CharField(max_length=40, editable=False)
    size = models.PositiveIntegerField(editable=False)
    content = EncryptedBinaryField(editable=False)

    ENCRYPTED: ClassVar[tuple[str, ...]] = ("title", "content")
    EXTENSIONS: ClassVar[dict[str, str]] = {
        "application/pdf": "pdf",
        "image/jpeg": "jpg",
        "image/png": "png",
    }

    class Meta:
        verbose_name = _("bijlage")
        verbose_name_plural = _("bijlagen")
        ordering = ["-created_at"]

    @property
    def filename(self) -> str:
        """The name a download gets: no title in it (the title is health data)."""
        return f"bijlage-{self.pk}.{self.EXTENSIONS[self.content_type]}"


class OwnStatement(DossierEntry):
    """Eigen verklaring: the client's own statement. Nobody edits or deletes it afterwards."""

    text = EncryptedTextField(_("uw verklaring"))

    ENCRYPTED: ClassVar[tuple[str, ...]] = ("text",)

    class Meta:
        verbose_name = _("eigen verklaring")
        verbose_name_plural = _("eigen verklaringen")
        ordering = ["-created_at"]

    def save(self, *args: object, **kwargs: object) -> None:
        if not self._state.adding:
            raise PermissionError(
                "Een eigen verklaring van de cliënt kan niet worden gewijzigd."
            )
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise PermissionError(
            "Een eigen verklaring van de cliënt kan niet worden verwijderd."
        )


class ExportStatus(models.TextChoices):
    QUEUED = "wachtrij", _("in de wachtrij")
    RUNNING = "bezig", _("wordt gemaakt")
    DONE = "klaar", _("klaar")
    FAILED = "mislukt", _("mislukt")


class ExportKind(models.TextChoices):
    PDF = "pdf", _("PDF-afschrift")
    PACKAGE = "pakket", _("afschrift-pakket (zip met PDF, JSON, FHIR en bijlagen)")


class ExportJob(ClinicalRow):
    """A PDF afschrift made in the background (large dossiers take seconds to render).

    The file is kept encrypted and only for a day; the optional PDF password is kept
    encrypted until the file is made, then erased.
    """

    client = models.ForeignKey(
        Client, on_delete=models.CASCADE, related_name="+", editable=False
    )
    recipient = models.CharField(_("ontvanger"), max_length=200)
    kind = models.CharField(
        max_length=10, choices=ExportKind.choices, default=ExportKind.PDF
    )
    status = models.CharField(
        max_length=10, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(default=0)
    pdf_password = EncryptedTextField(blank=True)
    content = EncryptedBinaryField(null=True, editable=False)
    pages = models.PositiveIntegerField(null=True)
    finished_at = models.DateTimeField(null=True)

    ENCRYPTED: ClassVar[tuple[str, ...]] = ("pdf_password", "content")

    class Meta:
        verbose_name = _("afschrift")
        ordering = ["-created_at"]
        constraints = [
            # One shared worker: at most one afschrift per client and kind waits or is made.
            models.UniqueConstraint(
                fields=["client", "kind"],
                condition=models.Q(status__in=["wachtrij", "bezig"]),
                name="exportjob_one_pending_per_client_kind",
            )
        ]

    def __str__(self) -> str:
        return f"Afschrift {self.id}"


class Revision(models.Model):
    """An earlier version of a dossier element's clinical content, kept on correction.

    The old values are stored encrypted with the client's key, so destroying the key
    destroys the history too.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    practice = models.ForeignKey(
        Practice, on_delete=models.PROTECT, related_name="+", editable=False
    )
    client = models.ForeignKey(
        Client, on_delete=models.CASCADE, related_name="+", editable=False
    )
    key_ref = models.UUIDField(editable=False)
    object_type = models.CharField(max_length=40)
    object_id = models.UUIDField()
    version = models.PositiveIntegerField()
    old_values = EncryptedTextField()
    reason = EncryptedTextField(_("reden van de wijziging"), blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)

    ENCRYPTED: ClassVar[tuple[str, ...]] = ("old_values", "reason")

    class Meta:
        verbose_name = _("eerdere versie")
        ordering = ["object_id", "-version"]
        indexes = [
            models.Index(fields=["object_id", "-version"], name="revision_object")
        ]

    def __str__(self) -> str:
        return f"Versie {self.version} van {self.object_id}"


class DestructionRecord(models.Model):
    """The tombstone of a destroyed dossier: that it happened, when, by whom and why; no content."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="+")
    client_ref = models.UUIDField(
        help_text=_("het (pseudonieme) kenmerk van de cliënt, zoals in het toegangslog")
    )
    dossier_ref = models.UUIDField(null=True)
    destroyed_at = models.DateTimeField(auto_now_add=True)
    destroyed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    legal_ground = models.CharField(_("grond"), max_length=30)
    rights_request_ref = models.UUIDField(null=True, blank=True)
    note = models.CharField(
        _("toelichting"),
        max_length=500,
        blank=True,
        help_text=_(
            "Geen medische gegevens: deze verklaring blijft na vernietiging bestaan."
        ),
    )

    class Meta:
        verbose_name = _("vernietigingsverklaring")
        ordering = ["-destroyed_at"]

    def __str__(self) -> str:
        return f"Vernietigd {self.client_ref}"
