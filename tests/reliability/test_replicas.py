"""Three web replicas act as one app (docker-compose.yml: `web` × 3 behind a proxy that
balances without session affinity).

No Docker engine runs here, so the proxy is played by the client: every request goes to the
next of three gunicorn processes serving the same test database, one browser's cookies for
all. A login begun on one replica finishes on the others, a zorgmoment saved through one shows
on the next page each of the others serves (each keeps its own in-memory cache of dossier
bodies), every read lands in one whole access-log chain, and logging out through one ends the
session on all three.
"""

from __future__ import annotations

import datetime
import itertools
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.error import HTTPError
from urllib.parse import urlencode
from urllib.request import (
    HTTPCookieProcessor,
    HTTPRedirectHandler,
    Request,
    build_opener,
)

import pytest
from django.core.management import call_command
from django.urls import reverse

from audit.models import AccessEvent
from tests.journeys.conftest import totp_now, with_authenticator
from tests.personas import PASSWORD, Cast
from tests.reliability.helpers import database_url

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))
from common import gunicorn, wait_port  # noqa: E402
from soak import free_port  # noqa: E402

# Three processes cannot share SQLite's in-memory test database.
pytestmark = pytest.mark.postgres

CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def replicas(committed_db) -> Iterator[list[int]]:
    """Three gunicorn processes (one worker each) on the test databases."""
    ports = [free_port() for _ in range(3)]
    servers = [
        gunicorn(
            database_url(), port, workers=1, KEYSTORE_DATABASE_URL=database_url("keys")
        )
        for port in ports
    ]
    try:
        for port in ports:
            wait_port(port)
        yield ports
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait(timeout=30)


class _Keep(HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs) -> None:  # the test reads each redirect
        return None


@dataclass
class Answer:
    status: int
    location: str
    html: str
    replica: int


class RoundRobin:
    """A browser behind a proxy that sends each request to the next replica."""

    def __init__(self, ports: list[int]) -> None:
        self.ports = ports
        self.turn = itertools.cycle(range(len(ports)))
        self.cookies = CookieJar()
        self.opener = build_opener(HTTPCookieProcessor(self.cookies), _Keep)
        self.csrf = ""

    def cookie(self, name: str) -> str:
        return next(c.value for c in self.cookies if c.name == name and c.value)

    def request(
        self, path: str, form: dict[str, str] | None = None, cookie: str = ""
    ) -> Answer:
        """`cookie` instead of the jar's: a cookie copied off another browser."""
        replica = next(self.turn)
        data = None
        if form is not None:
            data = urlencode({**form, "csrfmiddlewaretoken": self.csrf}).encode()
        url = f"http://127.0.0.1:{self.ports[replica]}{path}"
        try:
            with self.opener.open(
                Request(url, data=data, headers={"Cookie": cookie} if cookie else {}),
                timeout=30,
            ) as response:
                status, headers, body = (
                    response.status,
                    response.headers,
                    response.read(),
                )
        except HTTPError as answer:  # 3xx (not followed) and 4xx/5xx
            status, headers, body = answer.code, answer.headers, answer.read()
        html = body.decode()
        if token := CSRF_FIELD.search(html):
            self.csrf = token.group(1)
        return Answer(status, headers.get("Location", ""), html, replica)


def test_three_replicas_serve_one_login_one_record_and_one_chain(
    replicas: list[int], cast: Cast
) -> None:
    with_authenticator(cast.anna)
    browser = RoundRobin(replicas)
    dossier = reverse("dossiers:dossier_detail", args=[cast.dossier.pk])

    # The login, its steps spread over the replicas: the form, the password, the second
    # factor's form (where the start page sends a half-signed-in session) and the code.
    assert browser.request(reverse("accounts:login")).status == 200
    password = browser.request(
        reverse("accounts:login"),
        {"username": cast.anna.username, "password": PASSWORD},
    )
    assert password.status == 302
    to_code = browser.request(password.location)
    assert to_code.status == 302 and "/inloggen/code/" in to_code.location
    code_form = browser.request(to_code.location)
    assert code_form.status == 200
    code = browser.request(to_code.location, {"token": totp_now(cast.anna)})
    assert code.status == 302 and "/inloggen" not in code.location
    assert {password.replica, to_code.replica, code_form.replica} == {0, 1, 2}

    # Each replica shows the dossier, and so caches its body.
    views = [browser.request(dossier) for _ in replicas]
    assert [v.status for v in views] == [200, 200, 200]
    assert {v.replica for v in views} == {0, 1, 2}

    # A zorgmoment saved through one replica shows on the next page of each of the others.
    mark = "Replica-kenmerk 5521"
    saved = browser.request(
        reverse("dossiers:entry_create", args=[cast.dossier.pk, "zorgmomenten"]),
        {
            "date": datetime.date.today().isoformat(),
            "start_time": "09:00",
            "end_time": "09:30",
            "activities": mark,
            "results": "rustig",
        },
    )
    assert saved.status == 302 and saved.location == dossier, saved.html[:300]
    after = [browser.request(dossier) for _ in replicas]
    assert {a.replica for a in after} == {0, 1, 2}
    assert all(a.status == 200 and mark in a.html for a in after)

    # Every read through any replica is in the log, and the chain is whole.
    reads = AccessEvent.objects.filter(
        actor_id=cast.anna.pk, event_type="dossier.view", dossier_id=cast.dossier.pk
    )
    assert reads.count() == len(views) + len(after)
    call_command("verify_audit")  # exits non-zero (SystemExit) on a broken chain

    # Logging out through one replica ends the session on all three, also for a copy of the
    # session cookie taken before (the browser itself gets a new, empty session).
    browser.request(dossier)  # a page whose logout form carries a fresh token
    copied = browser.cookie("sessionid")
    replay = RoundRobin(replicas)
    assert (
        replay.request(dossier, cookie=f"sessionid={copied}").status == 200
    )  # the copy works
    assert browser.request(reverse("accounts:logout"), {}).status == 302
    refused = [replay.request(dossier, cookie=f"sessionid={copied}") for _ in replicas]
    assert {r.replica for r in refused} == {0, 1, 2}
    assert all(
        r.status == 302 and r.location.startswith(reverse("accounts:login"))
        for r in refused
    )
