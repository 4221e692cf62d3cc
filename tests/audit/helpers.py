import datetime
import threading
from collections.abc import Callable, Iterable
from typing import Any

from django.db import connection, connections
from django.db.models import Count, Max, Min
from django.db.models.functions import TruncDate
from django.utils import timezone

from audit.models import NO_PRACTICE, NOBODY, AccessEvent
from audit.services import record


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


# The line key written out again, not imported from audit.models.LINE_KEY: the reference
# must not change along with the code it checks.
KEY = (
    "client_id", "day", "actor_id", "actor_name", "actor_role", "action", "event_type",
    "object_type", "recipient", "basis", "case_reference", "outcome", "emergency",
    "practice_id",
)  # fmt: skip
AMSTERDAM = timezone.get_default_timezone()


def grouped_log() -> dict[tuple, tuple[int, Any, Any]]:
    """The reference: every event of the log grouped by the database, as the portal once did."""
    rows = (
        AccessEvent.objects.filter(client_id__isnull=False)
        .annotate(day=TruncDate("occurred_at", tzinfo=AMSTERDAM))
        .values(*KEY)
        .annotate(n=Count("id"), first=Min("occurred_at"), last=Max("occurred_at"))
        .order_by()
    )
    found: dict[tuple, tuple[int, Any, Any]] = {}
    for row in rows:
        row["actor_id"] = NOBODY if row["actor_id"] is None else row["actor_id"]
        row["practice_id"] = row["practice_id"] or NO_PRACTICE
        found[tuple(row[k] for k in KEY)] = (row["n"], row["first"], row["last"])
    return found


def event(cast: Any, when: datetime.datetime, **changes: Any) -> dict[str, Any]:
    """An event as `record` would build it: Anna reads her client's dossier."""
    values = {
        "occurred_at": when,
        "actor_id": cast.anna.pk,
        "actor_name": "Anna de Wit",
        "actor_role": "zorgverlener",
        "actor_agb": "12345678",
        "responsible_id": cast.anna.pk,
        "responsible_name": "Anna de Wit",
        "purpose": "zorgverlening",
        "practice_id": str(cast.dossier.practice_id),
        "client_id": str(cast.dossier.client_id),
        "dossier_id": str(cast.dossier.pk),
        "action": "R",
        "event_type": "dossier.view",
        "object_type": "dossier",
        "object_id": str(cast.dossier.pk),
        "fields": [],
        "outcome": "success",
        "checks": {},
        "basis": "own",
        "basis_ref": "",
        "case_reference": "",
        "emergency": False,
        "recipient": "",
        "detail": "",
        "source_ip": None,
        "source_system": "ecd",
        "request_id": "",
    }
    return {**values, **changes}


def read_dossier(cast: Any, actor: Any = None, **extra: Any) -> None:
    """Log a read of the cast's dossier, by Anna unless another actor is given."""
    record(
        actor=actor or cast.anna,
        action="R",
        event_type="dossier.view",
        practice_id=cast.dossier.practice_id,
        client_id=cast.dossier.client_id,
        dossier_id=cast.dossier.pk,
        object_type="dossier",
        basis="own",
        **extra,
    )


def in_threads(work: Callable[[Any], None], arguments: Iterable[Any]) -> None:
    """`work(argument)` in one thread per argument, all at once, each on its own database
    connection (closed at the end); fails if any thread met an error."""
    errors: list[BaseException] = []

    def run(argument: Any) -> None:
        try:
            work(argument)
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(a,)) for a in arguments]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
