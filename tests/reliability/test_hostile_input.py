"""Hostile input into every form: never a 500; what is stored equals what was typed, or the
user gets a clear Dutch form error and keeps their input."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client as HttpClient
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dossiers.models import Client, Dossier, Goal, OwnStatement
from tests.personas import Cast, verified_login

TODAY = datetime.date(2026, 3, 3).isoformat()
HOSTILE = [
    "\x00",
    "a\x00b",
    "\u202eRTL-override",
    "\u200f\u200e",
    "x" * 200_000,
    "<script>alert(1)</script>",
    "'; DROP TABLE dossiers_client; --",
    "{{ request.user.password }}",
    "\ufeff\u0301\U0001f9d1\u200d\u2695\ufe0f",
    "\r\n\t",
    "=cmd|' /C calc'!A0",
]
TEXT = st.one_of(st.text(max_size=400), st.sampled_from(HOSTILE))


@dataclass(frozen=True)
class Form:
    name: str
    actor: str  # "anna" (zorgverlener) or "bram" (client)
    url: Callable[[Cast], str]
    data: Callable[[Cast], dict[str, Any]]
    fuzz: tuple[str, ...]
    stored: Callable[[Cast], Any] | None = None  # reads back the first fuzzed field


def _entry(kind: str) -> Callable[[Cast], str]:
    return lambda c: reverse("dossiers:entry_create", args=[c.dossier.pk, kind])


def _dossier_edit(c: Cast) -> dict[str, Any]:
    d = Dossier.objects.get(pk=c.dossier.pk)
    return {
        "practitioner_name": d.practitioner_name,
        "practitioner_profession": d.practitioner_profession,
        "agb_code": d.agb_code,
        "legal_basis": d.legal_basis,
        "circumstances": d.circumstances,
        "diagnosis": d.diagnosis,
        "start_date": d.start_date.isoformat(),
        "version": d.version,
        "change_reason": "hypothesis",
    }


FORMS = [
    Form(
        "client",
        "anna",
        lambda c: reverse("dossiers:client_create"),
        lambda c: {
            "given_names": "Kees",
            "family_name": "Jansen",
            "date_of_birth": "1960-01-01",
            "funding": "wmo",
        },
        ("family_name", "given_names", "address", "phone", "email"),
        lambda c: Client.objects.order_by("-created_at").first().family_name,
    ),
    Form(
        "dossier",
        "anna",
        lambda c: reverse("dossiers:dossier_edit", args=[c.dossier.pk]),
        _dossier_edit,
        ("diagnosis", "circumstances", "practitioner_name", "change_reason"),
        lambda c: Dossier.objects.get(pk=c.dossier.pk).diagnosis,
    ),
    Form(
        "doel",
        "anna",
        _entry("doelen"),
        lambda c: {"kind": "doel", "status": "lopend", "description": "d"},
        ("description", "evaluation"),
        lambda c: Goal.objects.order_by("-created_at").first().description,
    ),
    Form(
        "behandeling",
        "anna",
        _entry("behandelingen"),
        lambda c: {"title": "t", "description": "d", "proposed_on": TODAY},
        ("title", "description"),
    ),
    Form(
        "overleg",
        "anna",
        _entry("overleg"),
        lambda c: {"held_on": TODAY, "minutes": "m"},
        ("minutes",),
    ),
    Form(
        "zorgmoment",
        "anna",
        _entry("zorgmomenten"),
        lambda c: {
            "date": TODAY,
            "start_time": "09:00",
            "end_time": "10:00",
            "activities": "a",
        },
        ("activities", "results", "start_time", "date"),
    ),
    Form(
        "ervaring",
        "anna",
        _entry("ervaringen"),
        lambda c: {"recorded_on": TODAY, "text": "t"},
        ("text", "recorded_on"),
    ),
    Form(
        "zoeken",
        "anna",
        lambda c: reverse("dossiers:client_list"),
        lambda c: {"name": "x"},
        ("name", "date_of_birth"),
    ),
    Form(
        "bewaartermijn",
        "anna",
        lambda c: reverse("dossiers:retention_extend", args=[c.dossier.pk]),
        lambda c: {"until": "2090-01-01", "reason": "r"},
        ("reason", "until"),
    ),
    Form(
        "uitnodiging",
        "anna",
        lambda c: reverse("portal:invite", args=[c.dossier.client_id]),
        lambda c: {"email": "a@example.nl"},
        ("email",),
    ),
    Form(
        "verklaring",
        "bram",
        lambda c: reverse("portal:statement_create"),
        lambda c: {"text": "t"},
        ("text",),
        lambda c: OwnStatement.objects.order_by("-created_at").first().text,
    ),
    Form(
        "verzoek",
        "bram",
        lambda c: reverse("portal:requests"),
        lambda c: {"kind": "correctie", "reason": "r"},
        ("reason", "kind"),
    ),
    Form(
        "wie-keek",
        "bram",
        lambda c: reverse("portal:who_saw"),
        lambda c: {},
        ("since", "until"),
    ),
]


@pytest.mark.parametrize("form", FORMS, ids=[f.name for f in FORMS])
def test_hostile_text_never_breaks_a_form(form: Form, cast: Cast) -> None:
    http = verified_login(
        HttpClient(raise_request_exception=False), getattr(cast, form.actor)
    )
    url = form.url(cast)
    method = http.get if form.name == "wie-keek" else http.post

    @settings(
        max_examples=15,
        deadline=None,
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.too_slow,
        ],
    )
    @given(field=st.sampled_from(form.fuzz), value=TEXT)
    def attempt(field: str, value: str) -> None:
        data = {**form.data(cast), field: value}
        response = method(url, data)
        assert response.status_code < 500, (field, value[:50], response.status_code)
        if response.status_code == 302 and form.stored and field == form.fuzz[0]:
            assert form.stored(cast) == value.strip()
        if response.status_code == 200 and method == http.post:
            html = response.content.decode()
            if "errorlist" in html or "form-errors" in html:
                assert (
                    "<script>alert(1)</script>" not in html
                )  # echoed input is escaped

    attempt()


def test_nul_and_control_characters_get_a_dutch_error_and_keep_the_input(
    cast: Cast, as_user
) -> None:
    http = as_user(cast.anna)
    response = http.post(
        reverse("dossiers:entry_create", args=[cast.dossier.pk, "doelen"]),
        {"kind": "doel", "status": "lopend", "description": "Wandelen\x07 elke dag"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "onzichtbaar stuurteken" in html
    assert "Wandelen" in html  # the rest of what was typed is still in the form
    assert not Goal.objects.exists()


def test_rtl_marks_and_emoji_are_stored_exactly(cast: Cast, as_user) -> None:
    text = "\u202eNaam\u202c met 🧑\u200d⚕️ en é (e\u0301)"
    response = as_user(cast.anna).post(
        reverse("dossiers:entry_create", args=[cast.dossier.pk, "doelen"]),
        {"kind": "doel", "status": "lopend", "description": text},
    )
    assert response.status_code == 302
    assert Goal.objects.get().description == text
