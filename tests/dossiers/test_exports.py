"""The afschrift: PDF (optionally password-protected), JSON against its schema, FHIR R4."""

import datetime
import io
import json
from pathlib import Path

import jsonschema
import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from pypdf import PdfReader

from audit.models import AccessEvent
from dossiers import services
from dossiers.exports import RefusingFetcher
from dossiers.models import (
    CareMoment,
    Discussion,
    Experience,
    ExportJob,
    Goal,
    OwnStatement,
    Treatment,
    TreatmentConsent,
)
from tests.personas import Cast, owner_access

SCHEMA = json.loads(
    (
        Path(__file__).resolve().parents[2]
        / "docs/schemas/dossier-export-v1.schema.json"
    ).read_text()
)
XSS = '<script>alert(1)</script><img src="file:///etc/passwd"> {{7*7}}'


@pytest.fixture
def full(cast: Cast) -> Cast:
    access = owner_access(cast.dossier)
    add = services.entry_add
    goal = add(
        access=access,
        actor=cast.anna,
        model=Goal,
        data={"description": "Zelfstandig douchen"},
    )
    treatment = add(
        access=access,
        actor=cast.anna,
        model=Treatment,
        data={
            "title": "Douchetraining",
            "proposed_on": datetime.date(2026, 1, 6),
            "goals": [goal],
        },
    )
    add(
        access=access,
        actor=cast.anna,
        model=TreatmentConsent,
        data={
            "treatment": treatment,
            "given_on": datetime.date(2026, 1, 7),
            "method": "mondeling",
            "given_by": "cliënt",
            "withdrawn_on": datetime.date(2026, 2, 1),
            "withdrawal_note": "wil het anders",
        },
    )
    add(
        access=access,
        actor=cast.anna,
        model=Discussion,
        data={"held_on": datetime.date(2026, 1, 6), "minutes": "Besproken: douchen"},
    )
    for i in range(30):
        add(
            access=access,
            actor=cast.anna,
            model=CareMoment,
            data={
                "date": datetime.date(2026, 1, 8) + datetime.timedelta(days=i),
                "start_time": datetime.time(9),
                "end_time": datetime.time(10),
                "activities": f"zorgmoment-{i:02d} geholpen",
                "results": "gaat beter" if i else XSS,
                "goals": [goal],
            },
        )
    add(
        access=access,
        actor=cast.anna,
        model=Experience,
        data={"recorded_on": datetime.date(2026, 2, 1), "text": "Prettige zorg"},
    )
    OwnStatement.objects.create(
        dossier=cast.dossier,
        practice_id=cast.dossier.practice_id,
        key_ref=cast.dossier.key_ref,
        created_by=cast.bram,
        text="Mijn eigen verklaring",
    )
    return cast


def make_pdf(http, cast: Cast, protect: bool):
    response = http.post(
        reverse("dossiers:export_pdf", args=[cast.dossier.pk]),
        {"protect": "on" if protect else ""},
    )
    job = response.context["job"]
    call_command("run_exports", "--once")
    page = http.get(reverse("dossiers:export_job", args=[cast.dossier.pk, job.pk]))
    assert page.context["job"].status == "klaar"
    pdf = http.get(reverse("dossiers:export_download", args=[cast.dossier.pk, job.pk]))
    return pdf, response.context["password"], job


def pdf_text(content: bytes, password: str = "") -> str:
    reader = PdfReader(io.BytesIO(content))
    if password:
        reader.decrypt(password)
    return "\n".join(page.extract_text() for page in reader.pages)


def test_the_pdf_holds_every_section_and_every_care_moment(full: Cast, as_user) -> None:
    http = as_user(full.anna)
    response, password, _job = make_pdf(http, full, protect=False)
    assert password == ""
    assert response["Content-Type"] == "application/pdf"
    assert (
        response["Content-Disposition"]
        == f'attachment; filename="afschrift-{full.dossier.pk}.pdf"'
    )
    assert "no-store" in response["Cache-Control"]
    text = pdf_text(response.content)
    for heading in (
        "Afschrift cliëntendossier",
        "Doelen en voorkeuren",
        "Voorgestelde behandelingen",
        "Toestemmingen en intrekkingen",
        "Overleg met de cliënt",
        "Zorgmomenten",
        "Ervaringen van de cliënt",
        "Eigen verklaringen van de cliënt",
        "Toegangslog",
        "AGB-code 12345678",
        "canary-diabetes-7f3a",
        "Ingetrokken op",
        "Mijn eigen verklaring",
    ):
        assert heading in text, heading
    for i in range(30):
        assert f"zorgmoment-{i:02d}" in text
    assert "pagina 1 van" in text
    assert "<script>alert(1)</script>" in text.replace(
        "\n", ""
    )  # shown literally, not run or fetched
    event = AccessEvent.objects.get(event_type="export.pdf")
    assert (event.recipient, event.client_id, event.actor_id) == (
        "cliënt",
        full.dossier.client_id,
        full.anna.pk,
    )


def test_a_protected_pdf_needs_its_password(full: Cast, as_user) -> None:
    http = as_user(full.anna)
    response, password, job = make_pdf(http, full, protect=True)
    assert len(password) == 19
    reader = PdfReader(io.BytesIO(response.content))
    assert reader.is_encrypted
    assert reader.decrypt("verkeerd-wachtwoord") == 0
    assert "Zorgmomenten" in pdf_text(response.content, password)
    job.refresh_from_db()
    assert job.pdf_password == ""
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM dossiers_exportjob")
        assert password not in repr(cursor.fetchall())


def test_the_json_validates_holds_everything_and_the_access_log(
    full: Cast, as_user
) -> None:
    http = as_user(full.bram)
    response = http.get(reverse("dossiers:export_json", args=[full.dossier.pk]))
    assert response["Content-Type"] == "application/json; charset=utf-8"
    data = json.loads(response.content)
    jsonschema.validate(data, SCHEMA, format_checker=jsonschema.FormatChecker())
    assert (
        len(data["care_moments"])
        == CareMoment.objects.filter(dossier=full.dossier).count()
        == 30
    )
    assert (
        len(data["consents"]) == 1
        and data["consents"][0]["withdrawn_on"] == "2026-02-01"
    )
    assert data["own_statements"][0]["text"] == "Mijn eigen verklaring"
    assert any(row["event_type"] == "dossier.create" for row in data["access_log"])
    assert data["care_moments"][0]["results"] == XSS  # data, never markup
    assert json.loads(json.dumps(data)) == data
    event = AccessEvent.objects.get(event_type="export.json")
    assert (event.recipient, event.basis) == ("cliënt zelf", "self")


def test_the_fhir_bundle_parses_with_the_dutch_identifier_systems(
    full: Cast, as_user
) -> None:
    from fhir.resources.R4B.bundle import Bundle

    access = owner_access(full.dossier)
    services.client_update(
        access=access,
        actor=full.anna,
        expected_version=access.client.version,
        data={
            "funding": "zvw",
            "bsn": "111222333",
            "id_document_type": "paspoort",
            "id_document_number": "NX1",
            "id_checked_on": datetime.date(2026, 1, 2),
        },
    )
    response = as_user(full.anna).get(
        reverse("dossiers:export_fhir", args=[full.dossier.pk])
    )
    data = json.loads(response.content)
    bundle = Bundle.model_validate(data)
    types = [entry.resource.get_resource_type() for entry in bundle.entry]
    for kind in (
        "Patient",
        "Practitioner",
        "Condition",
        "Goal",
        "CarePlan",
        "Consent",
        "Encounter",
        "Observation",
        "DocumentReference",
    ):
        assert kind in types, kind
    patient = next(
        e.resource for e in bundle.entry if e.resource.get_resource_type() == "Patient"
    )
    assert patient.identifier[0].system == "http://fhir.nl/fhir/NamingSystem/bsn"
    assert patient.identifier[0].value == "111222333"
    practitioner = next(
        e.resource
        for e in bundle.entry
        if e.resource.get_resource_type() == "Practitioner"
    )
    assert practitioner.identifier[0].system == "http://fhir.nl/fhir/NamingSystem/agb-z"
    assert types.count("Encounter") == 30


def test_the_pdf_renderer_fetches_nothing() -> None:
    import weasyprint

    fetcher = RefusingFetcher()
    html = '<p>x</p><img src="file:///etc/passwd"><img src="http://example.com/a.png"><link rel="stylesheet" href="https://cdn.example/x.css">'
    pdf = weasyprint.HTML(
        string=html, base_url="about:blank", url_fetcher=fetcher.make()
    ).write_pdf()
    assert pdf.startswith(b"%PDF")
    assert any(u.startswith("file:///etc/passwd") for u in fetcher.refused)
    assert any(u.startswith("http://example.com") for u in fetcher.refused)
    assert b"root:" not in pdf


def test_a_grant_gives_no_copy_and_an_inspector_only_when_the_mandate_says_so(
    full: Cast, as_user
) -> None:
    assert (
        as_user(full.carla)
        .get(reverse("dossiers:export_json", args=[full.dossier.pk]))
        .status_code
        == 404
    )
    from django.utils import timezone

    from consent.models import InspectorMandate

    mandate = InspectorMandate.objects.create(
        practice_id=full.anna.practice_id,
        inspector=full.ingrid,
        case_reference="IGJ-1",
        all_clients=True,
        created_by=full.anna,
        valid_from=timezone.now() - datetime.timedelta(hours=1),
        valid_until=timezone.now() + datetime.timedelta(days=1),
    )
    url = reverse("dossiers:export_json", args=[full.dossier.pk])
    assert as_user(full.ingrid).get(url).status_code == 404
    InspectorMandate.objects.filter(pk=mandate.pk).update(may_export=True)
    assert as_user(full.ingrid).get(url).status_code == 200
    assert (
        AccessEvent.objects.filter(
            event_type="export.json", case_reference="IGJ-1"
        ).count()
        == 1
    )


def test_old_files_are_purged(full: Cast, as_user) -> None:
    from django.utils import timezone

    http = as_user(full.anna)
    make_pdf(http, full, protect=False)
    ExportJob.objects.update(finished_at=timezone.now() - datetime.timedelta(days=2))
    call_command("run_exports", "--once")
    assert ExportJob.objects.get().content is None


def test_another_clients_denied_attempt_has_no_name_in_the_copy(
    cast: Cast, as_user
) -> None:
    """The client's own copy of the log shows another client's denied attempt as "een
    andere portaalgebruiker", never that client's name."""
    from django.test import Client as HttpClient

    from dossiers.models import Client
    from tests.personas import make_user, register_client_with_dossier, verified_login

    other = register_client_with_dossier(cast.anna, family_name="Bezemer")
    cees = make_user("cees", "client", None, name="Cees Bezemer")
    Client.objects.filter(pk=other.client_id).update(portal_user=cees)
    verified_login(HttpClient(), cees).get(
        reverse("dossiers:dossier_detail", args=[cast.dossier.pk])
    )
    response = as_user(cast.bram).get(
        reverse("dossiers:export_json", args=[cast.dossier.pk])
    )
    data = json.loads(response.content)
    jsonschema.validate(data, SCHEMA, format_checker=jsonschema.FormatChecker())
    names = [row["actor_name"] for row in data["access_log"]]
    assert "een andere portaalgebruiker" in names
    assert "Bezemer" not in response.content.decode()
