from __future__ import annotations

import importlib
import threading
import time
from collections.abc import Iterator

import pytest
from django.db import connection, connections
from django.test import Client as HttpClient

from tests.personas import Cast, make_cast, verified_login

ALL_DATABASES = ["default", "keys"]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test may use both databases (main and key store) unless it says otherwise."""
    for item in items:
        if item.get_closest_marker("django_db") is None:
            item.add_marker(pytest.mark.django_db(databases=ALL_DATABASES))
        if item.get_closest_marker("postgres") and connection.vendor != "postgresql":
            item.add_marker(pytest.mark.skip(reason="needs PostgreSQL (DATABASE_URL)"))


@pytest.fixture(autouse=True)
def _empty_page_cache() -> Iterator[None]:
    """Each test starts without dossier bodies cached by an earlier one."""
    from django.core.cache import caches

    caches["dossier_pages"].clear()
    yield


@pytest.fixture(autouse=True)
def _own_checkpoint_dir(settings, tmp_path) -> None:
    """Each test signs and reads access-log checkpoints in a folder of its own, never in the
    developer's var/checkpoints (a local `audit_checkpoint` of another database there would
    make `verify_audit` report that database's chains as truncated)."""
    settings.ECD_AUDIT_CHECKPOINT_DIR = tmp_path / "checkpoints"
    # Backups and the shred list that destruction adds to (keystore.shred_list) too.
    settings.ECD_BACKUP_DIR = tmp_path / "backups"
    settings.ECD_BACKUP_KEYS_DIR = tmp_path / "backups-keystore"


@pytest.fixture(autouse=True)
def _no_background_mail(settings) -> None:
    """No test starts the in-process mail sender by accident (its own thread and database
    connection would outlive the test); tests/notifications turn it on where they test it."""
    settings.ECD_NOTIFY_IN_PROCESS = False


@pytest.fixture
def cast() -> Cast:
    return make_cast()


@pytest.fixture
def as_user(client: HttpClient):
    """Log a persona in (session only) and return the test client."""

    def login(user) -> HttpClient:
        verified_login(client, user)
        return client

    return login


@pytest.fixture
def committed_db(request, transactional_db, django_db_blocker) -> Iterator[None]:
    """Real commits (threads, processes). The append-only log cannot be flushed by normal
    means, so teardown switches this superuser connection to replica mode (triggers off)
    for pytest-django's flush; the hook below closes it so no later test inherits it."""
    yield
    _wait_for_requests_in_flight()
    with django_db_blocker.unblock():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET session_replication_role = replica")
        else:  # SQLite: drop the triggers for the flush; the hook below puts them back
            with connection.schema_editor() as editor:
                _append_only().drop(None, editor)
            request.node.append_only_dropped = True


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(
    item: pytest.Item, nextitem: pytest.Item | None
) -> Iterator[None]:
    yield
    if "committed_db" in getattr(item, "fixturenames", ()):
        if getattr(item, "append_only_dropped", False) and nextitem is not None:
            # (after the last test the test database itself is already gone)
            from pytest_django.plugin import blocking_manager_key

            with (
                item.config.stash[blocking_manager_key].unblock(),
                connection.schema_editor() as editor,
            ):
                _append_only().create(None, editor)
        elif connection.vendor == "postgresql":
            connections.close_all()


def _wait_for_requests_in_flight(within: float = 10.0) -> None:
    """The live server's request threads end before the flush. wrk stops with requests in
    flight: one that committed its access event after the flush left that event to every
    test after it (a count one too high, a second chain at a checkpoint)."""
    deadline = time.monotonic() + within
    for thread in threading.enumerate():
        if thread.name.endswith("(process_request_thread)"):
            thread.join(max(0.0, deadline - time.monotonic()))


def _append_only():
    return importlib.import_module("audit.migrations.0002_append_only")
