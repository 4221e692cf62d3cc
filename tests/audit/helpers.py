from django.db import connection

from audit.models import AccessEvent


def without_triggers(sql: str, params: list | None = None) -> None:
    """What a database superuser can do: bypass the append-only triggers."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")
            cursor.execute(sql, params or [])
            cursor.execute("SET LOCAL session_replication_role = origin")
        else:
            names = ["audit_accessevent_no_update", "audit_accessevent_no_delete"]
            for name in names:
                cursor.execute(f"DROP TRIGGER {name}")
            cursor.execute(sql, params or [])
            for op, name in zip(("UPDATE", "DELETE"), names, strict=True):
                cursor.execute(
                    f"CREATE TRIGGER {name} BEFORE {op} ON audit_accessevent "
                    f"BEGIN SELECT RAISE(ABORT, 'no'); END"
                )


def event_ids(chain: str) -> list[int]:
    return list(
        AccessEvent.objects.filter(chain=chain)
        .order_by("seq")
        .values_list("id", flat=True)
    )
