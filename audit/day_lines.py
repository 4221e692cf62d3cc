"""Who-saw-what lines (`DayLine`) kept up to date as events are appended.

Every event about a client adds one to the count of its line (the same day, actor, action,
part, basis and outcome), or starts that line. On PostgreSQL this happens inside the single
statement that appends the event (`upsert_from_cte`); elsewhere, and for bulk loads, through
`add_events`. Either way it commits or rolls back with the event itself.

Locking: a line belongs to one client and one practice, and its events are appended to that
practice's chain, whose head row is locked first; so two writers that meet on a line have
already been serialised by the head, and lines add no new lock order (no deadlocks).
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable
from functools import cache
from typing import Any

from django.db import connections, router
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Count, Max, Min
from django.db.models.functions import TruncDate
from django.utils import timezone

from audit.models import LINE_KEY, NO_PRACTICE, NOBODY, AccessEvent, DayLine

COUNTED = ("count", "first", "last")


def day_of(moment: datetime.datetime) -> datetime.date:
    """The calendar day an event belongs to, in the practice's time zone (settings)."""
    return moment.astimezone(timezone.get_default_timezone()).date()


def _key(event: dict[str, Any]) -> tuple[Any, ...]:
    line = {name: event.get(name) for name in LINE_KEY}
    line["day"] = day_of(event["occurred_at"])
    if line["actor_id"] is None:
        line["actor_id"] = NOBODY
    line["client_id"] = uuid.UUID(str(line["client_id"]))
    line["practice_id"] = uuid.UUID(str(line["practice_id"] or NO_PRACTICE))
    return tuple(line[name] for name in LINE_KEY)


def _quoted(connection: BaseDatabaseWrapper) -> tuple[str, dict[str, str]]:
    quote = connection.ops.quote_name
    table = quote(DayLine._meta.db_table)
    columns = {f.name: quote(f.column or f.name) for f in DayLine._meta.concrete_fields}
    return table, columns


def _on_conflict(connection: BaseDatabaseWrapper) -> str:
    """Add to the existing line: counts summed, first and last widened."""
    table, col = _quoted(connection)
    least, greatest = (
        ("LEAST", "GREATEST") if connection.vendor == "postgresql" else ("MIN", "MAX")
    )
    key = ", ".join(col[name] for name in LINE_KEY)
    # Names come from the model, quoted by the backend; no value is part of this text.
    return (
        f"ON CONFLICT ({key}) DO UPDATE SET "  # nosec B608
        f"{col['count']} = {table}.{col['count']} + EXCLUDED.{col['count']}, "
        f"{col['first']} = {least}({table}.{col['first']}, EXCLUDED.{col['first']}), "
        f"{col['last']} = {greatest}({table}.{col['last']}, EXCLUDED.{col['last']})"
    )


@cache
def upsert_from_cte(source: str) -> str:
    """PostgreSQL: a data-modifying CTE that counts the event RETURNed by CTE `source`
    (which must return the event's LINE_KEY columns but day, and occurred_at).
    One parameter: the time zone that decides the day."""
    connection = connections[router.db_for_write(DayLine)]
    table, col = _quoted(connection)
    values = {name: f"{source}.{col[name]}" for name in LINE_KEY}
    values["day"] = f"({source}.occurred_at AT TIME ZONE %s)::date"
    values["actor_id"] = f"COALESCE({source}.actor_id, {NOBODY})"
    values["practice_id"] = f"COALESCE({source}.practice_id, '{NO_PRACTICE}'::uuid)"
    columns = ", ".join(col[name] for name in (*LINE_KEY, *COUNTED))
    selected = ", ".join(values[name] for name in LINE_KEY)
    # Names come from the models, quoted by the backend; the time zone is a parameter.
    return (
        f"INSERT INTO {table} ({columns}) "  # nosec B608
        f"SELECT {selected}, 1, {source}.occurred_at, {source}.occurred_at "
        f"FROM {source} WHERE {source}.client_id IS NOT NULL "
        + _on_conflict(connection)
    )


def add_events(events: Iterable[dict[str, Any]]) -> None:
    """Count events (dicts as `record` builds them) into their lines, in the caller's
    transaction: one upsert per line, however many events it gets."""
    lines: dict[tuple[Any, ...], list[Any]] = {}
    for event in events:
        if not event.get("client_id"):
            continue
        moment = event["occurred_at"]
        line = lines.setdefault(_key(event), [0, moment, moment])
        line[0] += 1
        line[1], line[2] = min(line[1], moment), max(line[2], moment)
    if not lines:
        return
    connection = connections[router.db_for_write(DayLine)]
    table, col = _quoted(connection)
    concrete = {f.name: f for f in DayLine._meta.concrete_fields}
    fields = [concrete[name] for name in (*LINE_KEY, *COUNTED)]
    columns = ", ".join(col[f.name] for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {table} ({columns}) VALUES ({marks}) " + _on_conflict(  # nosec B608
        connection
    )
    rows = [
        [
            field.get_db_prep_save(value, connection)
            for field, value in zip(fields, (*key, *counted), strict=True)
        ]
        for key, counted in lines.items()
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _recomputed() -> dict[tuple[Any, ...], tuple[int, Any, Any]]:
    """Every who-saw-what line as the events say it must be: grouped by the database on
    the whole line key (the day in the practice's time zone), counted, first and last."""
    rows = (
        AccessEvent.objects.filter(client_id__isnull=False)
        .annotate(day=TruncDate("occurred_at", tzinfo=timezone.get_default_timezone()))
        .values_list(*LINE_KEY)
        .annotate(n=Count("id"), first=Min("occurred_at"), last=Max("occurred_at"))
        .order_by()
    )
    actor, practice = LINE_KEY.index("actor_id"), LINE_KEY.index("practice_id")
    found: dict[tuple[Any, ...], tuple[int, Any, Any]] = {}
    for row in rows.iterator(chunk_size=5000):
        key = list(row[: len(LINE_KEY)])
        key[actor] = NOBODY if key[actor] is None else key[actor]
        key[practice] = key[practice] or NO_PRACTICE
        found[tuple(key)] = tuple(row[len(LINE_KEY) :])
    return found


def lines_out_of_step() -> list[str]:
    """Who-saw-what lines that differ from the events (Wabvpz 15e): each line's client, day,
    actor, action, part, basis, outcome, count, first and last time recomputed from the
    hash-chained log. A line deleted, lowered, inserted, or changed to name someone else
    shows here, each as "client day: what is wrong" (no names, no health data);
    `verify_audit` runs this."""
    connection = connections[router.db_for_write(DayLine)]
    if connection.vendor == "postgresql":
        return _lines_out_of_step_in_sql(connection)
    expected = _recomputed()
    wrong: list[str] = []
    stored = DayLine.objects.values_list(*LINE_KEY, *COUNTED).order_by()
    for row in stored.iterator(chunk_size=5000):
        key, counted = tuple(row[: len(LINE_KEY)]), tuple(row[len(LINE_KEY) :])
        should = expected.pop(key, None)
        if should is None:
            wrong.append(f"{key[0]} {key[1]}: regel zonder gebeurtenissen")
        elif should != counted:
            wrong.append(f"{key[0]} {key[1]}: telling of tijden wijken af")
    wrong.extend(f"{key[0]} {key[1]}: gebeurtenissen zonder regel" for key in expected)
    return sorted(wrong)


def _lines_out_of_step_in_sql(connection: BaseDatabaseWrapper) -> list[str]:
    """PostgreSQL: the same comparison in one statement (events grouped, full join on the
    whole key with the stored lines), so only the lines that differ leave the database."""
    table, col = _quoted(connection)
    events = connection.ops.quote_name(AccessEvent._meta.db_table)
    grouped = {name: f"{col[name]}" for name in LINE_KEY}
    grouped["day"] = "(occurred_at AT TIME ZONE %s)::date"
    grouped["actor_id"] = f"COALESCE(actor_id, {NOBODY})"
    grouped["practice_id"] = f"COALESCE(practice_id, '{NO_PRACTICE}'::uuid)"
    select = ", ".join(f"{grouped[name]} AS {col[name]}" for name in LINE_KEY)
    joined = " AND ".join(f"e.{col[name]} = d.{col[name]}" for name in LINE_KEY)
    # Names come from the models, quoted by the backend; the time zone is a parameter.
    sql = (
        f"WITH e AS (SELECT {select}, count(*) AS n, min(occurred_at) AS f, "  # nosec B608
        f"max(occurred_at) AS l FROM {events} WHERE client_id IS NOT NULL "
        f"GROUP BY {', '.join(str(i + 1) for i in range(len(LINE_KEY)))}) "
        f"SELECT COALESCE(e.client_id, d.client_id), COALESCE(e.day, d.day), "
        f"e.n IS NULL, d.{col['count']} IS NULL FROM e FULL JOIN {table} d ON {joined} "
        f"WHERE e.n IS NULL OR d.{col['count']} IS NULL OR e.n <> d.{col['count']} "
        f"OR e.f <> d.{col['first']} OR e.l <> d.{col['last']}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [str(timezone.get_default_timezone())])
        rows = cursor.fetchall()
    return sorted(
        f"{client} {day}: "
        + (
            "regel zonder gebeurtenissen"
            if no_events
            else "gebeurtenissen zonder regel"
            if no_line
            else "telling of tijden wijken af"
        )
        for client, day, no_events, no_line in rows
    )
