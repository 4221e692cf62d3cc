"""PostgreSQL plans a page's statements once per connection, not on every request."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection
from django.urls import reverse

from tests.personas import Cast

ROOT = Path(__file__).resolve().parents[2]


def prepared_statements() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


@pytest.mark.postgres
def test_repeated_page_statements_are_prepared_on_the_connection(
    cast: Cast, as_user
) -> None:
    http = as_user(cast.anna)
    url = reverse("dossiers:dossier_detail", args=[cast.dossier.pk])
    for _ in range(7):
        assert http.get(url).status_code == 200
    statements = prepared_statements()
    # The session lookup, the client lookup and the access-log append run on every request.
    assert any('FROM "django_session"' in sql for sql in statements), statements
    assert any('FROM "dossiers_client"' in sql for sql in statements), statements
    assert any("audit_chainhead" in sql for sql in statements), statements
    # Parameters travel apart from the statement: no value of a request is in its text.
    assert not any(cast.dossier.client.pk.hex in sql for sql in statements)


def database_options(**env: str) -> dict:
    code = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "print(json.dumps({k: d.get('OPTIONS', {}) for k, d in s.DATABASES.items()}))"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DB_PREPARED")}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "ecd.settings", **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


def test_prepared_statements_can_be_switched_off_for_a_pooler() -> None:
    url = "postgres://postgres@127.0.0.1:5432/ecd"
    on = database_options(DATABASE_URL=url)
    off = database_options(DATABASE_URL=url, DB_PREPARED_STATEMENTS="false")
    assert on["default"] == {"server_side_binding": True, "prepare_threshold": 5}
    assert on["keys"] == on["default"]
    assert off["default"] == {} and off["keys"] == {}
    sqlite = database_options(DATABASE_URL="sqlite:///:memory:")
    assert "prepare_threshold" not in sqlite["default"]
