"""The load benchmark times only the answer it names: wrk checks every answer (status and
redirect target), so a refused session, which also answers 302 (to the login page), or a
form shown again with its errors is counted as unexpected instead of timed as the page."""

import shutil
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from tests.personas import Cast

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from load import Case, lua, wrk
from soak import sign_in

pytestmark = [
    pytest.mark.postgres,  # what the benchmark runs on; 20 connections lock SQLite's test db
    pytest.mark.skipif(
        shutil.which("wrk") is None, reason="wrk ontbreekt (Debian wrk)"
    ),
]


def answers(live_server, case: Case) -> tuple[float, int]:
    run = wrk(live_server.url + case.path, lua(case), 1)
    return run["requests"], run["unexpected"]


def test_a_signed_in_redirect_passes_and_a_refused_session_does_not(
    live_server, committed_db, cast: Cast
) -> None:
    start = reverse("dossiers:client_list")  # where the zorgverlener's "/" leads
    signed_in = Case("GET", "/", "", sign_in(cast.anna), 302, start)
    refused = signed_in._replace(cookie="made-up-session")
    requests, unexpected = answers(live_server, signed_in)
    assert requests > 0 and unexpected == 0
    requests, unexpected = answers(live_server, refused)  # 302 to /inloggen/
    assert requests > 0 and unexpected == requests


def test_a_page_must_answer_200_and_a_save_its_redirect(
    live_server, committed_db, cast: Cast
) -> None:
    cookie = sign_in(cast.anna)
    page = Case(
        "GET", reverse("dossiers:dossier_detail", args=[cast.dossier.pk]), "", cookie
    )
    requests, unexpected = answers(live_server, page)
    assert requests > 0 and unexpected == 0
    # A zorgmoment without its fields: the form again, with errors (200), nothing saved.
    empty_save = Case(
        "POST",
        reverse("dossiers:entry_create", args=[cast.dossier.pk, "zorgmomenten"]),
        "date=",
        cookie,
        302,
        reverse("dossiers:dossier_detail", args=[cast.dossier.pk]),
    )
    requests, unexpected = answers(live_server, empty_save)
    assert requests > 0 and unexpected == requests
