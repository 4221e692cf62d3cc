"""A stored script payload stays text: in the dossier page, the portal, the PDF and the JSON."""

import json

from django.core.management import call_command
from django.urls import reverse

from dossiers import services
from dossiers.models import Goal
from portal.services import statement_add
from tests.dossiers.test_exports import pdf_text
from tests.personas import Cast, owner_access

PAYLOAD = '<script>alert("xss")</script><img src=x onerror=alert(1)>'


def store_payloads(cast: Cast) -> None:
    access = owner_access(cast.dossier)
    services.entry_add(
        access=access, actor=cast.anna, model=Goal, data={"description": PAYLOAD}
    )
    statement_add(access=access, actor=cast.bram, text=PAYLOAD)


def test_pages_escape_the_payload(cast: Cast, as_user) -> None:
    store_payloads(cast)
    for user, url in (
        (cast.anna, reverse("dossiers:dossier_detail", args=[cast.dossier.pk])),
        (cast.bram, reverse("portal:home")),
    ):
        html = as_user(user).get(url).content.decode()
        assert "&lt;script&gt;alert(&quot;xss&quot;)&lt;/script&gt;" in html, url
        assert "<script>alert" not in html and "<img src=x" not in html, url


def test_the_json_carries_it_as_inert_data(cast: Cast, as_user) -> None:
    store_payloads(cast)
    response = as_user(cast.anna).get(
        reverse("dossiers:export_json", args=[cast.dossier.pk])
    )
    assert response["Content-Type"].startswith("application/json")
    assert response["X-Content-Type-Options"] == "nosniff"
    body = (
        b"".join(response.streaming_content) if response.streaming else response.content
    )
    assert (
        list(strings(json.loads(body))).count(PAYLOAD) == 2
    )  # the goal and the statement


def strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)


def test_the_pdf_prints_it_as_text(cast: Cast, as_user) -> None:
    store_payloads(cast)
    http = as_user(cast.anna)
    response = http.post(
        reverse("dossiers:export_pdf", args=[cast.dossier.pk]), {"protect": ""}
    )
    job = response.context["job"]
    call_command("run_exports", "--once")
    pdf = http.get(reverse("dossiers:export_download", args=[cast.dossier.pk, job.pk]))
    text = pdf_text(b"".join(pdf.streaming_content) if pdf.streaming else pdf.content)
    assert '<script>alert("xss")</script>' in text.replace("\n", "")
