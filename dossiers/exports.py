"""The afschrift: one collection of a client's whole dossier, rendered as JSON, FHIR R4 and PDF.

Wabvpz art. 15e: every electronic copy carries the access log of the dossier.
"""

from __future__ import annotations

import base64
import io
import json
import secrets
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

import pyzipper
from django.template.loader import render_to_string
from django.utils import timezone
from PIL import Image
from pypdf import PdfReader, PdfWriter, Transformation
from pypdf.errors import PyPdfError

from audit.labels import describe
from audit.models import AccessEvent
from consent.models import AccessGrant
from dossiers.entries import KINDS, OTHER_CONTENT
from dossiers.models import (
    Attachment,
    CareMoment,
    Client,
    ClinicalRow,
    Discussion,
    Dossier,
    Experience,
    Goal,
    OwnStatement,
    Revision,
    Treatment,
    TreatmentConsent,
)
from dossiers.who_saw import ANOTHER_PORTAL_USER, in_words, lines_of
from portal.models import RightsRequest

SCHEMA_ID = "https://ecd.example.nl/schemas/dossier-export-v1.schema.json"
BSN_SYSTEM = "http://fhir.nl/fhir/NamingSystem/bsn"
AGB_SYSTEM = "http://fhir.nl/fhir/NamingSystem/agb-z"
WGBO_CONSENT = "https://wetten.overheid.nl/jci1.3:c:BWBR0005290&boek=7&titeldeel=7&afdeling=5&artikel=450"
AMSTERDAM = ZoneInfo("Europe/Amsterdam")


@dataclass
class DossierExport:
    client: Client
    dossier: Dossier
    issued_at: datetime
    issued_by: Any
    practice_name: str
    goals: list[Goal] = field(default_factory=list)
    treatments: list[Treatment] = field(default_factory=list)
    discussions: list[Discussion] = field(default_factory=list)
    consents: list[TreatmentConsent] = field(default_factory=list)
    care_moments: list[CareMoment] = field(default_factory=list)
    experiences: list[Experience] = field(default_factory=list)
    statements: list[OwnStatement] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    access_log: list[Any] = field(default_factory=list)
    # The same plain-Dutch who-saw-what lines the client reads in the portal.
    log_lines: list[Any] = field(default_factory=list)
    revisions: list[Revision] = field(default_factory=list)
    rights_requests: list[RightsRequest] = field(default_factory=list)
    grants: list[AccessGrant] = field(default_factory=list)

    @property
    def corrected(self) -> list[tuple[Revision, dict[str, Any]]]:
        """Each earlier version with its old values under the fields' Dutch labels."""
        labels = field_labels()
        return [
            (r, {labels.get(k, k): v for k, v in json.loads(r.old_values).items()})
            for r in self.revisions
        ]


def field_labels() -> dict[str, str]:
    labels: dict[str, str] = {}
    rows: tuple[type[ClinicalRow], ...] = (
        Client,
        Dossier,
        *(kind.model for kind in KINDS.values()),
        *OTHER_CONTENT,
    )
    for model in rows:
        for f in model._meta.get_fields():
            if hasattr(f, "verbose_name"):
                labels.setdefault(f.name, str(f.verbose_name))
    return labels


def collect(
    client: Client, *, issued_by: Any, attachment_content: bool = True
) -> DossierExport:
    """Everything of one client's dossier; the JSON copy leaves attachment bytes unread."""
    # Long because it names, in one place, every part of the dossier an afschrift holds.
    dossier = client.dossier
    log = AccessEvent.objects.filter(client_id=client.pk).order_by("occurred_at", "id")
    return DossierExport(
        client=client,
        dossier=dossier,
        issued_at=timezone.now(),
        issued_by=issued_by,
        practice_name=dossier.practice.name,
        **{
            kind.name: list(
                kind.entries(dossier).order_by(*kind.chronological)
                if kind.chronological
                else kind.entries(dossier)
            )
            for kind in KINDS.values()
        },
        statements=list(
            OwnStatement.objects.filter(dossier=dossier).order_by("created_at")
        ),
        attachments=list(
            Attachment.objects.filter(dossier=dossier)
            if attachment_content
            else Attachment.objects.filter(dossier=dossier).defer("content")
        ),
        revisions=list(
            Revision.objects.filter(client_id=client.pk).order_by(
                "object_id", "-version"
            )
        ),
        rights_requests=list(
            RightsRequest.objects.filter(client_id=client.pk).order_by("filed_at")
        ),
        grants=list(
            AccessGrant.objects.filter(client_id=client.pk)
            .select_related("colleague")
            .order_by("valid_from")
        ),
        log_lines=in_words(
            list(lines_of(client.pk, None, None)), viewer_id=client.portal_user_id
        ),
        access_log=[
            _shown_to_the_client(row)
            for row in log.values(
                "occurred_at",
                "actor_name",
                "actor_role",
                "action",
                "event_type",
                "object_type",
                "basis",
                "outcome",
                "case_reference",
                "recipient",
            )
        ],
    )


def _shown_to_the_client(row: Mapping[str, Any]) -> dict[str, Any]:
    """A log row as the client may see it: another client's denied attempt carries no name
    (it would tell this client who else is in the practice's care)."""
    if row["actor_role"] == "client" and row["outcome"] != "success":
        return {**row, "actor_name": ANOTHER_PORTAL_USER}
    return dict(row)


def _d(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def local(moment: datetime | None) -> str | None:
    """A moment in Dutch local time with the offset of that moment (+01:00 or +02:00)."""
    if moment is None:
        return None
    return moment.astimezone(AMSTERDAM).isoformat()


def local_moment(day: date, clock: time) -> str:
    """A wall-clock time on a day in the Netherlands, with the offset that day had."""
    return datetime.combine(day, clock, tzinfo=AMSTERDAM).isoformat()


def _json_client(export: DossierExport) -> dict[str, Any]:
    c = export.client
    return {
        "id": str(c.pk),
        "given_names": c.given_names,
        "name_prefix": c.name_prefix,
        "family_name": c.family_name,
        "date_of_birth": _d(c.date_of_birth),
        "funding": c.funding,
        "bsn": c.bsn or None,
        "email": c.email,
        "phone": c.phone,
        "address": c.address,
    }


def _json_dossier(export: DossierExport) -> dict[str, Any]:
    d = export.dossier
    return {
        "id": str(d.pk),
        "practitioner": {
            "name": d.practitioner_name,
            "profession": d.practitioner_profession,
            "agb_code": d.agb_code or None,
        },
        "legal_basis": d.legal_basis,
        "circumstances": d.circumstances,
        "diagnosis": d.diagnosis,
        "start_date": _d(d.start_date),
        "end_date": _d(d.end_date),
    }


def _json_goals(export: DossierExport) -> list[dict[str, Any]]:
    return [
        {
            "id": str(g.pk),
            "kind": g.kind,
            "description": g.description,
            "status": g.status,
            "evaluation": g.evaluation,
        }
        for g in export.goals
    ]


def _json_treatments(export: DossierExport) -> list[dict[str, Any]]:
    return [
        {
            "id": str(t.pk),
            "title": t.title,
            "description": t.description,
            "proposed_on": _d(t.proposed_on),
            "goal_ids": [str(g.pk) for g in t.goals.all()],
        }
        for t in export.treatments
    ]


def _json_discussions(export: DossierExport) -> list[dict[str, Any]]:
    return [
        {
            "id": str(x.pk),
            "held_on": _d(x.held_on),
            "minutes": x.minutes,
            "treatment_ids": [str(t.pk) for t in x.treatments.all()],
        }
        for x in export.discussions
    ]


def _json_consents(export: DossierExport) -> list[dict[str, Any]]:
    return [
        {
            "id": str(x.pk),
            "treatment_id": str(x.treatment_id),
            "scope": x.scope,
            "given_on": _d(x.given_on),
            "method": x.method,
            "given_by": x.given_by,
            "withdrawn_on": _d(x.withdrawn_on),
            "withdrawal_note": x.withdrawal_note,
        }
        for x in export.consents
    ]


def _json_care_moments(export: DossierExport) -> list[dict[str, Any]]:
    return [
        {
            "id": str(m.pk),
            "date": _d(m.date),
            "start_time": m.start_time.strftime("%H:%M"),
            "end_time": m.end_time.strftime("%H:%M"),
            "start": local_moment(m.date, m.start_time),
            "end": local_moment(m.date, m.end_time),
            "activities": m.activities,
            "results": m.results,
            "goal_ids": [str(g.pk) for g in m.goals.all()],
        }
        for m in export.care_moments
    ]


def _json_experiences(export: DossierExport) -> list[dict[str, Any]]:
    return [
        {"id": str(x.pk), "recorded_on": _d(x.recorded_on), "text": x.text}
        for x in export.experiences
    ]


def _json_statements(export: DossierExport) -> list[dict[str, Any]]:
    return [
        {"id": str(x.pk), "created_at": local(x.created_at), "text": x.text}
        for x in export.statements
    ]


def _json_attachments(export: DossierExport) -> list[dict[str, Any]]:
    return [
        {
            "id": str(a.pk),
            "title": a.title,
            "content_type": a.content_type,
            "size": a.size,
            "created_at": local(a.created_at),
        }
        for a in export.attachments
    ]


def _json_revisions(export: DossierExport) -> list[dict[str, Any]]:
    return [
        {
            "id": str(r.pk),
            "object_type": r.object_type,
            "object_id": str(r.object_id),
            "version": r.version,
            "old_values": json.loads(r.old_values),
            "reason": r.reason,
            "changed_at": local(r.changed_at),
        }
        for r in export.revisions
    ]


def _json_rights_requests(export: DossierExport) -> list[dict[str, Any]]:
    return [
        {
            "id": str(r.pk),
            "kind": r.kind,
            "reason": r.reason,
            "filed_at": local(r.filed_at),
            "deadline": _d(r.deadline),
            "status": r.status,
            "decision_reason": r.decision_reason,
            "decided_at": local(r.decided_at),
        }
        for r in export.rights_requests
    ]


def _json_grants(export: DossierExport) -> list[dict[str, Any]]:
    return [
        {
            "id": str(g.pk),
            "colleague": g.colleague.display_name,
            "can_write": g.can_write,
            "valid_from": _d(g.valid_from),
            "valid_until": _d(g.valid_until),
            "consent_given_on": _d(g.consent_given_on),
            "consent_method": g.consent_method,
        }
        for g in export.grants
    ]


def _json_access_log(export: DossierExport) -> list[dict[str, Any]]:
    """The log's rows with their codes (for programs) and, in `description`, what each one
    says in plain Dutch (`audit.labels`), as the portal and the PDF say it."""
    return [
        {
            **row,
            "occurred_at": local(row["occurred_at"]),
            "description": describe(
                row["event_type"],
                row["outcome"],
                object_type=row["object_type"],
                action=row["action"],
                recipient=row["recipient"],
                by_self=row["actor_role"] == "client"
                and row["actor_name"] != ANOTHER_PORTAL_USER,
            ),
        }
        for row in export.access_log
    ]


# One function per part of the JSON copy, in the schema's order.
JSON_PARTS = {
    "client": _json_client,
    "dossier": _json_dossier,
    "goals": _json_goals,
    "treatments": _json_treatments,
    "discussions": _json_discussions,
    "consents": _json_consents,
    "care_moments": _json_care_moments,
    "experiences": _json_experiences,
    "own_statements": _json_statements,
    "attachments": _json_attachments,
    "revisions": _json_revisions,
    "rights_requests": _json_rights_requests,
    "grants": _json_grants,
    "access_log": _json_access_log,
}


def as_json(export: DossierExport) -> dict[str, Any]:
    """The machine-readable copy (AVG art. 20), schema docs/schemas/dossier-export-v1.schema.json."""
    head = {
        "$schema": SCHEMA_ID,
        "version": 1,
        "issued_at": local(export.issued_at),
        "issued_by": {
            "name": export.issued_by.display_name,
            "role": export.issued_by.role,
        },
        "practice": export.practice_name,
    }
    return head | {name: part(export) for name, part in JSON_PARTS.items()}


GOAL_STATUS = {
    "lopend": "active",
    "behaald": "completed",
    "bijgesteld": "active",
    "gestopt": "cancelled",
}


def _prune(value: Any) -> Any:
    """FHIR has no nulls and no empty arrays or objects: absent values are left out."""
    if isinstance(value, dict):
        pruned = {k: _prune(v) for k, v in value.items()}
        return {k: v for k, v in pruned.items() if v not in (None, [], {}, "")}
    if isinstance(value, list):
        return [v for v in (_prune(v) for v in value) if v not in (None, [], {}, "")]
    return value


def _ref(pk: Any) -> dict[str, str]:
    return {"reference": f"urn:uuid:{pk}"}


@dataclass(frozen=True)
class _Refs:
    """What every FHIR resource of one afschrift points at."""

    export: DossierExport
    patient: dict[str, str]
    practitioner: dict[str, str]
    practitioner_id: uuid.UUID


Resource = dict[str, Any]


def _patient(r: _Refs) -> list[Resource]:
    c = r.export.client
    telecom = [{"system": "email", "value": c.email}] if c.email else []
    telecom += [{"system": "phone", "value": c.phone}] if c.phone else []
    return [
        {
            "resourceType": "Patient",
            "id": str(c.pk),
            "identifier": [{"system": BSN_SYSTEM, "value": c.bsn}] if c.bsn else None,
            "name": [
                {
                    "family": " ".join(p for p in (c.name_prefix, c.family_name) if p),
                    "given": c.given_names.split(),
                }
            ],
            "telecom": telecom,
            "birthDate": _d(c.date_of_birth),
            "address": [{"use": "home", "text": c.address}] if c.address else None,
        }
    ]


def _practitioner(r: _Refs) -> list[Resource]:
    d = r.export.dossier
    return [
        {
            "resourceType": "Practitioner",
            "id": str(r.practitioner_id),
            "identifier": [{"system": AGB_SYSTEM, "value": d.agb_code}]
            if d.agb_code
            else None,
            "name": [{"text": d.practitioner_name}],
            "qualification": [{"code": {"text": d.practitioner_profession}}]
            if d.practitioner_profession
            else None,
        }
    ]


def _condition(r: _Refs) -> list[Resource]:
    d = r.export.dossier
    if not d.diagnosis:
        return []
    return [
        {
            "resourceType": "Condition",
            "id": str(d.pk),
            "subject": r.patient,
            "code": {"text": d.diagnosis},
            "recordedDate": _d(d.start_date),
            "note": [{"text": d.circumstances}] if d.circumstances else None,
        }
    ]


def _goals(r: _Refs) -> list[Resource]:
    return [
        {
            "resourceType": "Goal",
            "id": str(g.pk),
            "lifecycleStatus": GOAL_STATUS.get(g.status, "active"),
            "category": [{"text": g.get_kind_display()}],
            "description": {"text": g.description},
            "subject": r.patient,
            "note": [{"text": g.evaluation}] if g.evaluation else None,
        }
        for g in r.export.goals
    ]


def _treatments(r: _Refs) -> list[Resource]:
    ended = bool(r.export.dossier.end_date)
    return [
        {
            "resourceType": "ServiceRequest",
            "id": str(t.pk),
            "status": "completed" if ended else "active",
            "intent": "proposal",
            "code": {"text": t.title},
            "subject": r.patient,
            "authoredOn": _d(t.proposed_on),
            "requester": r.practitioner,
            "note": [{"text": t.description}] if t.description else None,
        }
        for t in r.export.treatments
    ]


def _care_plan(r: _Refs) -> list[Resource]:
    d = r.export.dossier
    return [
        {
            "resourceType": "CarePlan",
            "id": str(uuid.uuid5(d.pk, "careplan")),
            "status": "completed" if d.end_date else "active",
            "intent": "plan",
            "title": "Zorgplan",
            "description": d.circumstances,
            "subject": r.patient,
            "period": {"start": _d(d.start_date), "end": _d(d.end_date)},
            "author": r.practitioner,
            "addresses": [_ref(d.pk)] if d.diagnosis else None,
            "goal": [_ref(g.pk) for g in r.export.goals],
            "activity": [{"reference": _ref(t.pk)} for t in r.export.treatments],
        }
    ]


def _discussions(r: _Refs) -> list[Resource]:
    return [
        {
            "resourceType": "Communication",
            "id": str(x.pk),
            "status": "completed",
            "category": [{"text": "Overleg met de cliënt"}],
            "subject": r.patient,
            "about": [_ref(t.pk) for t in x.treatments.all()],
            "sent": _d(x.held_on),
            "sender": r.practitioner,
            "recipient": [r.patient],
            "payload": [{"contentString": x.minutes}],
        }
        for x in r.export.discussions
    ]


def _consents(r: _Refs) -> list[Resource]:
    scope = "http://terminology.hl7.org/CodeSystem/consentscope"
    return [
        {
            "resourceType": "Consent",
            "id": str(k.pk),
            "status": "inactive" if k.withdrawn_on else "active",
            "scope": {"coding": [{"system": scope, "code": "treatment"}]},
            "category": [
                {"coding": [{"system": "http://loinc.org", "code": "59284-0"}]}
            ],
            "patient": r.patient,
            "dateTime": _d(k.given_on),
            # WGBO art. 7:450 BW: informed consent for a treatment.
            "policy": [{"uri": WGBO_CONSENT}],
            "provision": {
                "type": "permit",
                "period": {"start": _d(k.given_on), "end": _d(k.withdrawn_on)},
                "data": [{"meaning": "related", "reference": _ref(k.treatment_id)}],
            },
        }
        for k in r.export.consents
    ]


def _care_moments(r: _Refs) -> list[Resource]:
    resources: list[Resource] = []
    for m in r.export.care_moments:
        start = local_moment(m.date, m.start_time)
        resources.append(
            {
                "resourceType": "Encounter",
                "id": str(m.pk),
                "status": "finished",
                "class": {
                    "system": "http://terminology.hl7.org/CodeSystem/v3-ActCode",
                    "code": "HH",
                },
                "subject": r.patient,
                "participant": [{"individual": r.practitioner}],
                "period": {"start": start, "end": local_moment(m.date, m.end_time)},
                "reasonCode": [{"text": m.activities}],
            }
        )
        if m.results:
            resources.append(
                {
                    "resourceType": "Observation",
                    "id": str(uuid.uuid5(m.pk, "results")),
                    "status": "final",
                    "code": {"text": "Bereikte resultaten"},
                    "subject": r.patient,
                    "encounter": _ref(m.pk),
                    "effectiveDateTime": start,
                    "valueString": m.results,
                }
            )
    return resources


def _experiences(r: _Refs) -> list[Resource]:
    return [
        {
            "resourceType": "Observation",
            "id": str(e.pk),
            "status": "final",
            "code": {"text": "Ervaring van de cliënt met de zorg"},
            "subject": r.patient,
            "effectiveDateTime": _d(e.recorded_on),
            "performer": [r.patient],
            "valueString": e.text,
        }
        for e in r.export.experiences
    ]


def _document(
    r: _Refs, *, pk: Any, description: str, created: datetime, attachment: Resource
) -> Resource:
    return {
        "resourceType": "DocumentReference",
        "id": str(pk),
        "status": "current",
        "description": description,
        "subject": r.patient,
        "date": local(created),
        "content": [{"attachment": attachment}],
    }


def _statements(r: _Refs) -> list[Resource]:
    return [
        _document(
            r,
            pk=s.pk,
            description="Eigen verklaring van de cliënt",
            created=s.created_at,
            attachment={
                "contentType": "text/plain; charset=utf-8",
                "data": base64.b64encode(s.text.encode()).decode(),
            },
        )
        for s in r.export.statements
    ]


def _attachments(r: _Refs) -> list[Resource]:
    return [
        _document(
            r,
            pk=a.pk,
            description=a.title,
            created=a.created_at,
            attachment={
                "contentType": a.content_type,
                "data": base64.b64encode(bytes(a.content)).decode(),
                "size": a.size,
                "title": a.title,
                "creation": local(a.created_at),
            },
        )
        for a in r.export.attachments
    ]


# One function per kind of resource, in the Bundle's order.
FHIR_RESOURCES = (
    _patient,
    _practitioner,
    _condition,
    _goals,
    _treatments,
    _care_plan,
    _discussions,
    _consents,
    _care_moments,
    _experiences,
    _statements,
    _attachments,
)


def as_fhir(export: DossierExport) -> dict[str, Any]:
    """A FHIR R4 collection Bundle with the Dutch BSN and AGB identifier systems.

    Valid against the official HL7 FHIR R4 JSON schema: absent values are omitted, never
    null; every time carries the Europe/Amsterdam offset of its own moment.
    """
    practitioner_id = uuid.uuid5(export.dossier.pk, "practitioner")
    refs = _Refs(
        export=export,
        patient=_ref(export.client.pk),
        practitioner=_ref(practitioner_id),
        practitioner_id=practitioner_id,
    )
    entries = [
        {"fullUrl": f"urn:uuid:{resource['id']}", "resource": _prune(resource)}
        for build in FHIR_RESOURCES
        for resource in build(refs)
    ]
    return {
        "resourceType": "Bundle",
        "id": secrets.token_hex(8),
        "type": "collection",
        "timestamp": local(export.issued_at),
        "entry": entries,
    }


class RefusingFetcher:
    """The PDF renderer fetches nothing: no web address, no file on the server."""

    def __init__(self) -> None:
        self.refused: list[str] = []

    def make(self) -> Any:
        # WeasyPrint loads Pango and its fonts (about a second): only a process that renders pays.
        from weasyprint.urls import URLFetcher

        refused = self.refused

        class _Fetcher(URLFetcher):
            def fetch(self, url: str, headers: Any = None) -> Any:
                refused.append(url)
                raise ValueError(f"refused: {url[:40]}")

        return _Fetcher()


def render_pdf(
    export: DossierExport, *, password: str = "", fetcher: RefusingFetcher | None = None
) -> tuple[bytes, int]:
    """The PDF afschrift; with a password it is encrypted with AES-256. Returns (bytes, pages)."""
    # WeasyPrint loads Pango and its fonts (about a second): only a process that renders pays.
    import weasyprint

    html = render_to_string("dossiers/afschrift.html", {"x": export})
    fetcher = fetcher or RefusingFetcher()
    document = weasyprint.HTML(
        string=html, base_url="about:blank", url_fetcher=fetcher.make()
    ).render()
    pdf = document.write_pdf()
    pages = len(document.pages)
    if export.attachments:
        pdf, pages = _with_attachments(pdf, export.attachments)
    if password:
        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
        writer.encrypt(
            user_password=password,
            owner_password=secrets.token_urlsafe(24),
            algorithm="AES-256",
        )
        out = io.BytesIO()
        writer.write(out)
        pdf = out.getvalue()
    return pdf, pages


def _json_bytes(data: dict[str, Any]) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=1).encode()


def build_package(export: DossierExport, *, password: str = "") -> tuple[bytes, int]:
    """The afschrift-pakket: one zip with the PDF, the JSON, the FHIR Bundle and every attachment.

    With a password the zip is AES-256 encrypted (WinZip AES, opened by 7-Zip, macOS
    and Windows' own tools with a helper); the PDF inside is then not encrypted twice.
    Returns (bytes, pages of the PDF).
    """

    pdf, pages = render_pdf(export)
    out = io.BytesIO()
    if password:
        archive: Any = pyzipper.AESZipFile(
            out, "w", compression=pyzipper.ZIP_DEFLATED, encryption=pyzipper.WZ_AES
        )
        archive.setpassword(password.encode())
        archive.setencryption(pyzipper.WZ_AES, nbits=256)
    else:
        archive = pyzipper.ZipFile(out, "w", compression=pyzipper.ZIP_DEFLATED)
    with archive:
        archive.writestr("afschrift.pdf", pdf)
        archive.writestr("afschrift.json", _json_bytes(as_json(export)))
        archive.writestr("afschrift.fhir.json", _json_bytes(as_fhir(export)))
        for number, a in enumerate(export.attachments, start=1):
            archive.writestr(attachment_filename(number, a), bytes(a.content))
        archive.writestr("LEESMIJ.txt", PACKAGE_README.encode())
    return out.getvalue(), pages


EXTENSIONS = {
    "application/pdf": "pdf",
    "image/jpeg": "jpg",
    "image/png": "png",
    "text/plain": "txt",
}
PACKAGE_README = """Afschrift van uw cliëntendossier

afschrift.pdf        het hele dossier om te lezen en te printen
afschrift.json       hetzelfde dossier voor de computer (schema: dossier-export-v1)
afschrift.fhir.json  hetzelfde dossier als FHIR R4 Bundle, voor een andere zorgverlener
bijlagen/            de bijlagen, zoals ze zijn opgeslagen

Bewaar dit bestand op een veilige plek: het bevat gezondheidsgegevens.
"""


def attachment_filename(number: int, attachment: Attachment) -> str:
    """A server-chosen name: a title may hold anything, a file name in a zip may not."""
    ext = EXTENSIONS.get(attachment.content_type.split(";")[0].strip(), "bin")
    return f"bijlagen/{number:03d}-{attachment.pk}.{ext}"


def _attachment_pages(attachment: Attachment) -> Any:
    """The pages of a PDF or image attachment as a PDF reader, or None when it has none."""

    content = bytes(attachment.content)
    if attachment.content_type == "application/pdf":
        reader = PdfReader(io.BytesIO(content))
        if reader.is_encrypted:
            return None
        return reader
    if attachment.content_type.startswith("image/"):
        buffer = io.BytesIO()
        with Image.open(io.BytesIO(content)) as image:
            image.convert("RGB").save(buffer, "PDF", resolution=150)
        return PdfReader(io.BytesIO(buffer.getvalue()))
    return None


A4 = (595.28, 841.89)


def _append_on_a4(writer: Any, image_page: Any) -> None:
    """An image as an A4 page of its own, scaled to fit inside 2 cm margins."""

    margin = 56.7
    width, height = float(image_page.mediabox.width), float(image_page.mediabox.height)
    scale = min((A4[0] - 2 * margin) / width, (A4[1] - 2 * margin) / height)
    page = writer.add_blank_page(width=A4[0], height=A4[1])
    page.merge_transformed_page(
        image_page,
        Transformation()
        .scale(scale)
        .translate(margin, A4[1] - margin - height * scale),
    )


def _with_attachments(pdf: bytes, attachments: list[Attachment]) -> tuple[bytes, int]:
    """Every attachment embedded as a file; PDFs and images also appended as pages."""

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    for number, a in enumerate(attachments, start=1):
        writer.add_attachment(
            attachment_filename(number, a).removeprefix("bijlagen/"), bytes(a.content)
        )
        try:
            reader = _attachment_pages(a)
        except (PyPdfError, OSError, ValueError):
            reader = None  # Damaged file: it is still embedded as it was stored.
        if reader is not None and a.content_type.startswith("image/"):
            _append_on_a4(writer, reader.pages[0])
        elif reader is not None:
            writer.append(reader)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue(), len(writer.pages)


def new_pdf_password() -> str:
    """Four groups of four readable characters, to read out over the phone."""
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    return "-".join(
        "".join(secrets.choice(alphabet) for _ in range(4)) for _ in range(4)
    )
