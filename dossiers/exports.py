"""The afschrift: one collection of a client's whole dossier, rendered as JSON, FHIR R4 and PDF.

Wabvpz art. 15e: every electronic copy carries the access log of the dossier.
"""

from __future__ import annotations

import base64
import io
import secrets
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import timezone

from audit.models import AccessEvent
from dossiers.models import (
    Attachment,
    CareMoment,
    Client,
    Discussion,
    Dossier,
    Experience,
    Goal,
    OwnStatement,
    Treatment,
    TreatmentConsent,
)

SCHEMA_ID = "https://ecd.example.nl/schemas/dossier-export-v1.schema.json"
BSN_SYSTEM = "http://fhir.nl/fhir/NamingSystem/bsn"
AGB_SYSTEM = "http://fhir.nl/fhir/NamingSystem/agb-z"


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


def collect(client: Client, *, issued_by: Any) -> DossierExport:
    dossier = client.dossier
    ids_only = Goal.objects.only("id", "dossier_id", "key_ref")
    log = AccessEvent.objects.filter(client_id=client.pk).order_by("occurred_at", "id")
    return DossierExport(
        client=client,
        dossier=dossier,
        issued_at=timezone.now(),
        issued_by=issued_by,
        practice_name=dossier.practice.name,
        goals=list(Goal.objects.filter(dossier=dossier)),
        treatments=list(
            Treatment.objects.filter(dossier=dossier).prefetch_related(
                Prefetch("goals", ids_only)
            )
        ),
        discussions=list(
            Discussion.objects.filter(dossier=dossier).prefetch_related("treatments")
        ),
        consents=list(
            TreatmentConsent.objects.filter(dossier=dossier).select_related("treatment")
        ),
        care_moments=list(
            CareMoment.objects.filter(dossier=dossier)
            .order_by("date", "start_time")
            .prefetch_related(Prefetch("goals", ids_only))
        ),
        experiences=list(
            Experience.objects.filter(dossier=dossier).order_by("recorded_on")
        ),
        statements=list(
            OwnStatement.objects.filter(dossier=dossier).order_by("created_at")
        ),
        attachments=list(Attachment.objects.filter(dossier=dossier).defer("content")),
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


ANOTHER_PORTAL_USER = "een andere portaalgebruiker"


def _shown_to_the_client(row: Mapping[str, Any]) -> dict[str, Any]:
    """A log row as the client may see it: another client's denied attempt carries no name
    (it would tell this client who else is in the practice's care)."""
    if row["actor_role"] == "client" and row["outcome"] != "success":
        return {**row, "actor_name": ANOTHER_PORTAL_USER}
    return dict(row)


def _d(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def as_json(export: DossierExport) -> dict[str, Any]:
    """The machine-readable copy (AVG art. 20), schema docs/schemas/dossier-export-v1.schema.json."""
    c, d = export.client, export.dossier
    return {
        "$schema": SCHEMA_ID,
        "version": 1,
        "issued_at": export.issued_at.isoformat(),
        "issued_by": {
            "name": export.issued_by.display_name,
            "role": export.issued_by.role,
        },
        "practice": export.practice_name,
        "client": {
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
        },
        "dossier": {
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
        },
        "goals": [
            {
                "id": str(g.pk),
                "kind": g.kind,
                "description": g.description,
                "status": g.status,
                "evaluation": g.evaluation,
            }
            for g in export.goals
        ],
        "treatments": [
            {
                "id": str(t.pk),
                "title": t.title,
                "description": t.description,
                "proposed_on": _d(t.proposed_on),
                "goal_ids": [str(g.pk) for g in t.goals.all()],
            }
            for t in export.treatments
        ],
        "discussions": [
            {
                "id": str(x.pk),
                "held_on": _d(x.held_on),
                "minutes": x.minutes,
                "treatment_ids": [str(t.pk) for t in x.treatments.all()],
            }
            for x in export.discussions
        ],
        "consents": [
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
        ],
        "care_moments": [
            {
                "id": str(m.pk),
                "date": _d(m.date),
                "start_time": m.start_time.strftime("%H:%M"),
                "end_time": m.end_time.strftime("%H:%M"),
                "activities": m.activities,
                "results": m.results,
                "goal_ids": [str(g.pk) for g in m.goals.all()],
            }
            for m in export.care_moments
        ],
        "experiences": [
            {"id": str(x.pk), "recorded_on": _d(x.recorded_on), "text": x.text}
            for x in export.experiences
        ],
        "own_statements": [
            {"id": str(x.pk), "created_at": x.created_at.isoformat(), "text": x.text}
            for x in export.statements
        ],
        "attachments": [
            {
                "id": str(a.pk),
                "title": a.title,
                "content_type": a.content_type,
                "size": a.size,
                "created_at": a.created_at.isoformat(),
            }
            for a in export.attachments
        ],
        "access_log": [
            {**row, "occurred_at": row["occurred_at"].isoformat()}
            for row in export.access_log
        ],
    }


GOAL_STATUS = {
    "lopend": "active",
    "behaald": "completed",
    "bijgesteld": "active",
    "gestopt": "cancelled",
}


def as_fhir(export: DossierExport) -> dict[str, Any]:
    """A FHIR R4 collection Bundle with the Dutch BSN and AGB identifier systems."""
    c, d = export.client, export.dossier
    patient_ref = {"reference": f"urn:uuid:{c.pk}"}
    practitioner_id = str(uuid.uuid5(d.pk, "practitioner"))
    entries: list[dict[str, Any]] = []

    def add(resource: dict[str, Any]) -> None:
        entries.append({"fullUrl": f"urn:uuid:{resource['id']}", "resource": resource})

    patient: dict[str, Any] = {
        "resourceType": "Patient",
        "id": str(c.pk),
        "name": [
            {
                "family": " ".join(p for p in (c.name_prefix, c.family_name) if p),
                "given": c.given_names.split(),
            }
        ],
        "birthDate": _d(c.date_of_birth),
    }
    if c.bsn:
        patient["identifier"] = [{"system": BSN_SYSTEM, "value": c.bsn}]
    telecom = [{"system": "email", "value": c.email}] if c.email else []
    telecom += [{"system": "phone", "value": c.phone}] if c.phone else []
    if telecom:
        patient["telecom"] = telecom
    add(patient)
    practitioner: dict[str, Any] = {
        "resourceType": "Practitioner",
        "id": practitioner_id,
        "name": [{"text": d.practitioner_name}],
    }
    if d.agb_code:
        practitioner["identifier"] = [{"system": AGB_SYSTEM, "value": d.agb_code}]
    add(practitioner)
    if d.diagnosis:
        add(
            {
                "resourceType": "Condition",
                "id": str(d.pk),
                "subject": patient_ref,
                "code": {"text": d.diagnosis},
                "recordedDate": _d(d.start_date),
                "note": [{"text": d.circumstances}] if d.circumstances else None,
            }
        )
    for g in export.goals:
        add(
            {
                "resourceType": "Goal",
                "id": str(g.pk),
                "lifecycleStatus": GOAL_STATUS.get(g.status, "active"),
                "description": {"text": g.description},
                "subject": patient_ref,
                "note": [{"text": g.evaluation}] if g.evaluation else None,
            }
        )
    add(
        {
            "resourceType": "CarePlan",
            "id": str(uuid.uuid5(d.pk, "careplan")),
            "status": "active" if not d.end_date else "completed",
            "intent": "plan",
            "subject": patient_ref,
            "period": {"start": _d(d.start_date), "end": _d(d.end_date)},
            "goal": [{"reference": f"urn:uuid:{g.pk}"} for g in export.goals] or None,
            "activity": [
                {"detail": {"status": "in-progress", "description": t.title}}
                for t in export.treatments
            ]
            or None,
        }
    )
    for x in export.consents:
        add(
            {
                "resourceType": "Consent",
                "id": str(x.pk),
                "status": "inactive" if x.withdrawn_on else "active",
                "scope": {
                    "coding": [
                        {
                            "system": "http://terminology.hl7.org/CodeSystem/consentscope",
                            "code": "treatment",
                        }
                    ]
                },
                "category": [
                    {"coding": [{"system": "http://loinc.org", "code": "59284-0"}]}
                ],
                "patient": patient_ref,
                "dateTime": f"{_d(x.given_on)}T00:00:00+00:00",
                "policyRule": {
                    "coding": [
                        {
                            "system": "http://terminology.hl7.org/CodeSystem/v3-ActCode",
                            "code": "INFA",
                        }
                    ]
                },
                "provision": {
                    "period": {"start": _d(x.given_on), "end": _d(x.withdrawn_on)}
                },
            }
        )
    for m in export.care_moments:
        start = f"{_d(m.date)}T{m.start_time.strftime('%H:%M:%S')}+01:00"
        end = f"{_d(m.date)}T{m.end_time.strftime('%H:%M:%S')}+01:00"
        add(
            {
                "resourceType": "Encounter",
                "id": str(m.pk),
                "status": "finished",
                "class": {
                    "system": "http://terminology.hl7.org/CodeSystem/v3-ActCode",
                    "code": "HH",
                },
                "subject": patient_ref,
                "period": {"start": start, "end": end},
                "reasonCode": [{"text": m.activities}],
            }
        )
        if m.results:
            add(
                {
                    "resourceType": "Observation",
                    "id": str(uuid.uuid5(m.pk, "results")),
                    "status": "final",
                    "code": {"text": "Bereikte resultaten"},
                    "subject": patient_ref,
                    "encounter": {"reference": f"urn:uuid:{m.pk}"},
                    "effectiveDateTime": start,
                    "valueString": m.results,
                }
            )
    for s in export.statements:
        add(
            {
                "resourceType": "DocumentReference",
                "id": str(s.pk),
                "status": "current",
                "description": "Eigen verklaring van de cliënt",
                "subject": patient_ref,
                "date": s.created_at.isoformat(),
                "content": [
                    {
                        "attachment": {
                            "contentType": "text/plain; charset=utf-8",
                            "data": base64.b64encode(s.text.encode()).decode(),
                        }
                    }
                ],
            }
        )
    for entry in entries:
        entry["resource"] = {
            k: v for k, v in entry["resource"].items() if v is not None
        }
    return {
        "resourceType": "Bundle",
        "id": secrets.token_hex(8),
        "type": "collection",
        "timestamp": export.issued_at.isoformat(),
        "entry": entries,
    }


class RefusingFetcher:
    """The PDF renderer fetches nothing: no web address, no file on the server."""

    def __init__(self) -> None:
        self.refused: list[str] = []

    def make(self) -> Any:
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
    import weasyprint

    html = render_to_string("dossiers/afschrift.html", {"x": export})
    fetcher = fetcher or RefusingFetcher()
    document = weasyprint.HTML(
        string=html, base_url="about:blank", url_fetcher=fetcher.make()
    ).render()
    pdf = document.write_pdf()
    pages = len(document.pages)
    if password:
        from pypdf import PdfReader, PdfWriter

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


def new_pdf_password() -> str:
    """Four groups of four readable characters, to read out over the phone."""
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    return "-".join(
        "".join(secrets.choice(alphabet) for _ in range(4)) for _ in range(4)
    )
