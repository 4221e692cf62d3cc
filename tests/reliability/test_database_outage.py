"""Database outage: a clear 503, nothing from a cache, and recovery without a restart.

The outage is real: the connection's port is pointed at a closed port, so every connection
attempt fails the way it does when PostgreSQL is down; pointing it back is the database
returning. (bench/outage.py does the same with a stopped PostgreSQL cluster.)
"""

import socket
from collections.abc import Iterator

import pytest
from django.db import connection
from django.test import Client as HttpClient
from django.urls import reverse

from dossiers.models import Dossier
from tests.personas import make_cast, verified_login

pytestmark = pytest.mark.postgres


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # free now, and nothing listens on it


@pytest.fixture
def outage(committed_db) -> Iterator:
    original = connection.settings_dict["PORT"]

    def down() -> None:
        connection.close()
        connection.settings_dict["PORT"] = _closed_port()

    def up() -> None:
        connection.close()
        connection.settings_dict["PORT"] = original

    yield down, up
    up()


def test_requests_get_a_503_page_and_the_app_recovers_by_itself(outage) -> None:
    down, up = outage
    cast = make_cast()
    http = verified_login(HttpClient(raise_request_exception=False), cast.anna)
    url = reverse("dossiers:dossier_detail", args=[cast.dossier.pk])
    assert http.get(url).status_code == 200

    down()
    for page in (url, reverse("dossiers:client_list"), reverse("accounts:login")):
        response = http.get(page)
        assert response.status_code == 503, page
        html = response.content.decode()
        assert "Tijdelijk niet beschikbaar" in html
        assert "canary-diabetes" not in html and "Dalen" not in html  # nothing cached
        assert "no-store" in response["Cache-Control"]
        assert response["Retry-After"]
    saved = http.post(
        reverse("dossiers:entry_create", args=[cast.dossier.pk, "doelen"]),
        {"kind": "doel", "description": "Tijdens de storing", "status": "lopend"},
    )
    assert saved.status_code == 503

    up()  # the database returns; the same client, no restart
    response = http.get(url)
    assert response.status_code == 200
    assert "canary-diabetes" in response.content.decode()
    assert Dossier.objects.filter(
        pk=cast.dossier.pk
    ).exists()  # nothing committed was lost
    assert "Tijdens de storing" not in response.content.decode()
