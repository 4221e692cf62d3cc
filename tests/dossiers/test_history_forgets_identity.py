"""#26: change-history rows written before names and date of birth were left out of
django-auditlog still held them in clear; migration 0010 drops them from those rows, through
the append-only trigger, which stays in force for the application afterwards."""

from __future__ import annotations

import importlib

import pytest
from auditlog.models import LogEntry
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError, connection, transaction

from tests.personas import Cast

MIGRATION = importlib.import_module(
    "dossiers.migrations.0010_i26_history_forgets_identity"
)


class Statements:
    """What the migration uses of its schema editor: the connection and execute(). (SQLite's
    real schema editor cannot open inside the test's transaction.)"""

    connection = connection

    def execute(self, sql: str, params: object = None) -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)


def test_old_history_rows_lose_the_clients_identity(cast: Cast) -> None:
    client = cast.dossier.client
    old = LogEntry.objects.create(  # as the history wrote a change before the fix
        content_type=ContentType.objects.get_for_model(type(client)),
        object_pk=str(client.pk),
        object_repr=str(client),
        action=LogEntry.Action.UPDATE,
        changes={
            "family_name": ["Dalen", "Dalen-Jansen"],
            "date_of_birth": ["1950-05-17", "1950-05-18"],
            "funding": ["wmo", "zvw"],
        },
        changes_text='{"given_names": ["Bram", "Bram Piet"]}',
    )
    MIGRATION.forget_identity(apps, Statements())
    old.refresh_from_db()
    assert old.changes == {"funding": ["wmo", "zvw"]}  # what is not identity stays
    assert old.changes_text == "{}"
    everything = str(list(LogEntry.objects.values()))
    for value in ("Dalen", "1950-05-17", "Bram"):
        assert value not in everything
    # The table is append-only again for everyone after the migration.
    with pytest.raises(DatabaseError), transaction.atomic():
        LogEntry.objects.filter(pk=old.pk).update(changes_text="x")


def test_nothing_to_forget_changes_nothing(cast: Cast) -> None:
    before = list(LogEntry.objects.order_by("pk").values())
    MIGRATION.forget_identity(apps, Statements())
    assert list(LogEntry.objects.order_by("pk").values()) == before
