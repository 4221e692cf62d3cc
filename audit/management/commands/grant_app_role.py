"""Give the application's database role what it needs, and no more (PostgreSQL).

The role that runs migrations owns the tables; the application role may read and write
clinical tables but may only SELECT and INSERT on the access log and change history.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, connections

APPEND_ONLY = ("audit_accessevent", "auditlog_logentry")


def grant_statements(role: str) -> list[str]:
    quoted = connection.ops.quote_name(role)
    protected = ", ".join(APPEND_ONLY)
    return [
        f"GRANT USAGE ON SCHEMA public TO {quoted}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {quoted}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {quoted}",
        f"REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON {protected} FROM {quoted}",
    ]


class Command(BaseCommand):
    help = "Kent de applicatierol alleen SELECT en INSERT toe op het toegangslog (PostgreSQL)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("role")
        parser.add_argument("--database", default="default")

    def handle(self, *args: Any, **options: Any) -> None:
        target = connections[options["database"]]
        if target.vendor != "postgresql":
            raise CommandError("Alleen voor PostgreSQL.")
        with target.cursor() as cursor:
            for statement in grant_statements(options["role"]):
                cursor.execute(statement)
        self.stdout.write(f"Rechten gezet voor rol {options['role']}.")
