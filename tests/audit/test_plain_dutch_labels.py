"""Who-saw-what, the afschrift's log and the zorgverlener's log view speak one plain Dutch
(B1) from one table (`audit.labels`): every event type has words for every outcome, and
no event type, part code, role or basis code or English word reaches a reader."""

from __future__ import annotations

import csv
import datetime
import io
import re
from html.parser import HTMLParser
from typing import Any

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from audit.labels import LABELS, PARTS, Voice, describe, field_words
from audit.models import ENTRY_PARTS, AccessEvent, Basis, EventType, Outcome
from audit.services import record_many
from dossiers.exports import as_json, collect
from dossiers.models import Client
from dossiers.who_saw import in_words, lines_of
from tests.audit.helpers import event
from tests.personas import Cast

DUTCH = {"dossier", "pakket"}  # words of the codes that are Dutch as well
CODE_WORDS = (
    {word for value in EventType.values for word in re.split(r"[._]", value)}
    | {word for part in PARTS for word in re.split(r"[._]", part)}
    | set(Basis.values)
    | set(Outcome.values)
    | {"client", "view", "export", "history", "grant", "self", "none", "error"}
) - DUTCH


def leaks(text: str) -> set[str]:
    """Codes or English words in a text meant for a person (case matters: "PDF" is a
    format's name, "pdf" a code)."""
    found = {value for value in EventType.values if value in text}
    found |= {word for word in re.findall(r"[A-Za-zÀ-ÿ_]+", text) if word in CODE_WORDS}
    found |= set(re.findall(r"\b[a-z]+_[a-z_]+\b", text))  # field names
    return found


def test_the_leak_detector_catches_what_the_issue_saw() -> None:
    for text in (
        "bekeek export",
        "probeerde destruction te openen",
        "probeerde dossier.history te openen",
        "client.create · own · success",
        "(start_date)",
    ):
        assert leaks(text), text
    assert not leaks("U (cliënt) downloadde een afschrift van uw dossier (PDF)")


def test_every_event_type_has_words_for_every_outcome_and_voice() -> None:
    missing = [t for t in EventType if t not in LABELS]
    assert not missing, f"no label for {missing}"
    for event_type in EventType:
        for outcome in Outcome:
            for voice in Voice:
                for by_self in (False, True):
                    said = describe(
                        event_type,
                        outcome,
                        object_type="dossier",
                        recipient="Dirk Visser",
                        voice=voice,
                        by_self=by_self,
                    )
                    assert said and "{" not in said, (event_type, outcome, said)
                    assert not leaks(said), (event_type, outcome, said, leaks(said))


def test_every_part_that_is_read_has_words() -> None:
    """A read's part is its event type without ".view": each must be in PARTS (else the
    reader would see a stand-in, not the part)."""
    read_parts = {
        t.value.removesuffix(".view") for t in EventType if t.endswith(".view")
    }
    assert read_parts - set(PARTS) == set()
    assert {f"{entry}.history" for entry in ENTRY_PARTS} <= set(PARTS)


def test_the_examples_of_the_issue() -> None:
    assert (
        describe(EventType.GRANT_CREATE, "success", recipient="Dirk Visser")
        == "gaf Dirk Visser toegang tot uw dossier"
    )
    assert describe(EventType.EXPORT_PDF, "success", by_self=True).startswith(
        "downloadde een afschrift van uw dossier"
    )
    assert describe(EventType.EXPORT_PDF, "success").startswith(
        "ontving een afschrift van uw dossier"
    )
    assert (
        describe(EventType.ACCESS_DENIED, "denied", object_type="destruction")
        == "probeerde de vernietiging van uw dossier te openen; dat werd geweigerd"
    )
    assert (
        describe(EventType.ACCESS_DENIED, "denied", object_type="goal", action="U")
        == "probeerde uw doelen en voorkeuren te wijzigen; dat werd geweigerd"
    )
    assert describe(EventType.DOSSIER_VIEW, "success", voice=Voice.STAFF) == (
        "bekeek het dossier"
    )
    assert field_words("dossier", ["start_date", "no_such_field"])[1] == "een gegeven"
    assert "_" not in field_words("dossier", ["start_date"])[0]


def every_event_of_every_kind(cast: Cast) -> None:
    """One event of every type, allowed and refused, by a zorgverlener, the client and an
    inspector, straight into the log and its who-saw-what lines."""
    moment = timezone.now() - datetime.timedelta(hours=2)
    people = [
        {
            "actor_id": cast.anna.pk,
            "actor_name": "Anna de Wit",
            "actor_role": "zorgverlener",
        },
        {
            "actor_id": cast.bram.pk,
            "actor_name": "",
            "actor_role": "client",
            "basis": "self",
        },
        {
            "actor_id": cast.ingrid.pk,
            "actor_name": "Ingrid Jansen",
            "actor_role": "inspecteur",
            "basis": "inspector",
            "case_reference": "IGJ-1",
        },
    ]
    events: list[dict[str, Any]] = []
    for n, event_type in enumerate(EventType):
        part = event_type.value.rsplit(".", 1)[0]
        for outcome in ("success", "denied"):
            for who in people:
                events.append(
                    event(
                        cast,
                        moment + datetime.timedelta(seconds=n),
                        event_type=event_type.value,
                        object_type=part if part in PARTS else "dossier",
                        outcome=outcome,
                        recipient="Dirk Visser" if "grant" in part else "",
                        fields=["start_date", "diagnosis"],
                        **who,
                    )
                )
    record_many(str(cast.dossier.practice_id), events)


class Text(HTMLParser):
    """The text a person reads in a page part (tags and attributes left out)."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def text_of(html: str) -> str:
    parser = Text()
    parser.feed(html)
    return " ".join(parser.parts)


def between(html: str, start: str, end: str) -> str:
    return html[html.index(start) : html.index(end, html.index(start))]


def test_no_code_reaches_the_portal_the_afschrift_or_the_log_view(
    cast: Cast, as_user
) -> None:
    every_event_of_every_kind(cast)
    client = Client.objects.get(pk=cast.dossier.client_id)

    # Who-saw-what in the portal, every page.
    http = as_user(cast.bram)
    seen, page = [], 1
    while True:
        response = http.get(reverse("portal:who_saw"), {"pagina": page})
        html = response.content.decode()
        seen.append(text_of(between(html, '<ul class="log-lines">', "</ul>")))
        if not response.context["page"].has_next():
            break
        page += 1
    portal_text = " ".join(seen)
    assert "gaf Dirk Visser toegang tot uw dossier" in portal_text
    assert "Nederlandse tijd" in portal_text
    assert not leaks(portal_text), leaks(portal_text)

    # The PDF afschrift's log: the same lines, in its own template.
    lines = in_words(list(lines_of(client.pk, None, None)), viewer_id=cast.bram.pk)
    assert len(lines) >= len(EventType) * 2
    html = render_to_string(
        "dossiers/afschrift.html", {"x": collect(client, issued_by=cast.anna)}
    )
    afschrift = text_of(between(html, "<h2>Toegangslog", "</body>"))
    assert "U (cliënt) downloadde een afschrift van uw dossier (PDF)" in afschrift
    assert "Nederlandse tijd" in afschrift
    assert not leaks(afschrift), leaks(afschrift)
    # The JSON copy keeps the codes for programs and says each row in words as well.
    rows = as_json(collect(client, issued_by=cast.anna))["access_log"]
    described = " ".join(row["description"] for row in rows)
    assert len(rows) == AccessEvent.objects.filter(client_id=client.pk).count()
    assert not leaks(described), leaks(described)

    # The zorgverlener's log view, every page, and its CSV's description column.
    http = as_user(cast.anna)
    url = reverse("audit:dossier_log", args=[cast.dossier.pk])
    seen, page = [], 1
    while True:
        response = http.get(url, {"pagina": page})
        html = response.content.decode()
        seen.append(text_of(between(html, "<tbody>", "</tbody>")))
        if not response.context["page"].has_next():
            break
        page += 1
    view_text = " ".join(seen)
    assert "Tijdstip (Nederlandse tijd)" in response.content.decode()
    assert "gaf Dirk Visser toegang tot het dossier" in view_text
    assert not leaks(view_text), leaks(view_text)
    rows = list(
        csv.reader(
            io.StringIO(
                http.get(
                    reverse("audit:dossier_log_csv", args=[cast.dossier.pk])
                ).content.decode()
            )
        )
    )
    described = " ".join(row[4] for row in rows[1:])
    assert not leaks(described), leaks(described)
    assert AccessEvent.objects.filter(event_type="accesslog.export").exists()
