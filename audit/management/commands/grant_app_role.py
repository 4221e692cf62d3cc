"""Give the application's database role what it needs, and no more (PostgreSQL).

The role that runs migrations owns the tables; the application role may read and write
clinical tables but may only SELECT and INSERT on the access log and change history.
Run once per database (`--database keys` for the key store, which holds no log tables).
"""

from __future__ import annotations

from typing import Any

from auditlog.models import LogEntry
from django.core.management.base import BaseCommand, CommandError
from django.db import connections, router
from django.db.backends.base.base import BaseDatabaseWrapper

from audit.models import AccessEvent

APPEND_ONLY = (AccessEvent, LogEntry)


def append_only_tables(alias: str) -> list[str]:
    """The append-only tables that live in this database (none in the key store)."""
    return [
        model._meta.db_table
        for model in APPEND_ONLY
        if router.allow_migrate_model(alias, model)
    ]


def grant_statements(
    role: str, *, target: BaseDatabaseWrapper, protected: list[str]
) -> list[str]:
    quoted = target.ops.quote_name(role)
    statements = [
        f"GRANT USAGE ON SCHEMA public TO {quoted}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {quoted}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {quoted}",
    ]
    if protected:
        tables = ", ".join(target.ops.quote_name(name) for name in protected)
        statements.append(
            f"REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON {tables} FROM {quoted}"
        )
    return statements


class Command(BaseCommand):
    help = "Kent de applicatierol alleen SELECT en INSERT toe op het toegangslog (PostgreSQL)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("role")
        parser.add_argument("--database", default="default")

    def handle(self, *args: Any, **options: Any) -> None:
        alias = options["database"]
        if alias not in connections:
            raise CommandError(f"Onbekende database: {alias}.")
        target = connections[alias]
        if target.vendor != "postgresql":
            raise CommandError("Alleen voor PostgreSQL.")
        protected = append_only_tables(alias)
        existing = set(target.introspection.table_names())
        missing = [name for name in protected if name not in existing]
        if missing:
            raise CommandError(
                f"Tabellen ontbreken ({', '.join(missing)}): draai eerst migrate "
                f"--database {alias}."
            )
        with target.cursor() as cursor:
            for statement in grant_statements(
                options["role"], target=target, protected=protected
            ):
                cursor.execute(statement)
        self.stdout.write(f"Rechten gezet voor rol {options['role']} ({alias}).")
