"""Who-saw-what lines are counted as events are appended: always equal to grouping every
event of the log by day, actor, action, part, basis and outcome, in the same transaction."""

import datetime
import importlib
from types import SimpleNamespace
from typing import Any

import pytest
from django.apps import apps
from django.db import connection, transaction
from django.utils import timezone

from audit.models import NOBODY, AccessEvent, DayLine
from audit.services import record, record_many
from tests.audit.helpers import (
    AMSTERDAM,
    KEY,
    event,
    grouped_log,
    in_threads,
    read_dossier,
)
from tests.personas import Cast, make_user


def stored_lines() -> dict[tuple, tuple[int, Any, Any]]:
    return {
        tuple(row[k] for k in KEY): (row["count"], row["first"], row["last"])
        for row in DayLine.objects.values(*KEY, "count", "first", "last")
    }


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=AMSTERDAM)


def test_lines_equal_grouping_every_event_of_the_log(cast: Cast) -> None:
    today = timezone.localdate()
    past = [
        event(cast, at(today - datetime.timedelta(days=d), 9 + m), action=a)
        for d in (400, 31, 2)
        for m, a in enumerate("RRCRU")
    ]
    past += [
        # nobody signed in, outside a practice: the sentinels keep such events together
        event(cast, at(today - datetime.timedelta(days=2), 15), actor_id=None,
              actor_name="", actor_role="", outcome="denied", basis="none"),
        event(cast, at(today - datetime.timedelta(days=2), 16), actor_id=None,
              actor_name="", actor_role="", outcome="denied", basis="none"),
        event(cast, at(today - datetime.timedelta(days=2), 17), practice_id=None,
              actor_name="Ingrid Jansen", actor_role="inspecteur", basis="inspector",
              case_reference="IGJ-77"),
    ]  # fmt: skip
    record_many(
        str(cast.dossier.practice_id), sorted(past, key=lambda e: e["occurred_at"])
    )
    for _ in range(3):
        read_dossier(cast)
    read_dossier(cast, cast.carla)
    read_dossier(cast, outcome="denied")
    record(actor=cast.anna, action="R", event_type="client.list")  # no client: no line

    lines = stored_lines()
    assert lines == grouped_log()
    assert (
        sum(n for n, _, _ in lines.values())
        == AccessEvent.objects.filter(client_id__isnull=False).count()
    )
    anonymous = [key for key in lines if key[2] == NOBODY]
    assert len(anonymous) == 1 and lines[anonymous[0]][0] == 2


def test_a_line_counts_its_events_and_spans_first_to_last(cast: Cast) -> None:
    before = DayLine.objects.filter(client_id=cast.dossier.client_id).count()
    for _ in range(4):
        read_dossier(cast, detail="nog eens")
    line = DayLine.objects.get(
        client_id=cast.dossier.client_id, actor_id=cast.anna.pk, action="R"
    )
    events = AccessEvent.objects.filter(
        client_id=cast.dossier.client_id, actor_id=cast.anna.pk, action="R"
    ).order_by("occurred_at")
    assert line.count == 4 == events.count()
    assert (line.first, line.last) == (
        events.first().occurred_at,
        events.last().occurred_at,
    )
    assert line.day == timezone.localdate(line.first)
    assert (
        DayLine.objects.filter(client_id=cast.dossier.client_id).count() == before + 1
    )


def test_the_day_is_the_day_in_the_netherlands(cast: Cast) -> None:
    late = datetime.datetime(2026, 1, 1, 23, 30, tzinfo=datetime.UTC)  # 00:30 on 2 Jan
    record_many(str(cast.dossier.practice_id), [event(cast, late)])
    assert DayLine.objects.get(first=late).day == datetime.date(2026, 1, 2)


def test_an_event_rolled_back_is_not_counted(cast: Cast) -> None:
    read_dossier(cast)
    counted = stored_lines()
    with pytest.raises(RuntimeError), transaction.atomic():
        read_dossier(cast)
        read_dossier(cast, cast.carla)
        raise RuntimeError("de wijziging mislukt")
    assert stored_lines() == counted == grouped_log()


def test_events_already_in_the_log_are_counted_at_upgrade(cast: Cast) -> None:
    today = timezone.localdate()
    history = [
        event(cast, at(today - datetime.timedelta(days=d), 10)) for d in (9, 9, 3)
    ]
    history.append(event(cast, at(today, 8), actor_id=None, actor_name=""))
    record_many(str(cast.dossier.practice_id), history)
    read_dossier(cast)
    expected = grouped_log()
    DayLine.objects.all().update(count=1)  # lines as they were before 0006's new key
    migration = importlib.import_module(
        "audit.migrations.0006_dayline_says_what_and_to_whom"
    )
    # the function needs only the editor's connection (SQLite refuses a real editor here)
    migration.recount_lines(apps, SimpleNamespace(connection=connection))
    assert stored_lines() == expected


@pytest.mark.postgres
def test_concurrent_readers_of_one_client_are_all_counted(committed_db) -> None:
    from tests.personas import make_cast

    cast = make_cast()
    readers = [cast.anna, make_user("anna2", "zorgverlener", cast.anna.practice)]

    def reads(actor: Any) -> None:
        for _ in range(100):
            read_dossier(cast, actor)

    in_threads(reads, [readers[i % 2] for i in range(6)])
    counts = dict(
        DayLine.objects.filter(
            client_id=cast.dossier.client_id, action="R"
        ).values_list("actor_id", "count")
    )
    assert counts[cast.anna.pk] >= 300 and counts[readers[1].pk] == 300
    assert stored_lines() == grouped_log()


def test_verify_audit_finds_a_line_lowered_to_hide_a_read(cast: Cast, capsys) -> None:
    from django.core.management import call_command

    for _ in range(3):
        read_dossier(cast)
    call_command("verify_audit", "--no-checkpoint")
    assert "OK:" in capsys.readouterr().out
    DayLine.objects.filter(
        client_id=cast.dossier.client_id, actor_id=cast.anna.pk
    ).update(count=1)
    with pytest.raises(SystemExit) as exit_:
        call_command("verify_audit", "--no-checkpoint")
    assert exit_.value.code == 1
    assert f"{cast.dossier.client_id}" in capsys.readouterr().err


CHANGES = {
    "another actor on the line, same count": "actor_id = {other}, actor_name = 'x'",
    "the reads shown as denied": "outcome = 'denied'",
    "another part of the dossier": "object_type = 'x'",
    "the last time moved back to hide a late read": "last = first - interval '1 hour'",
}


@pytest.mark.parametrize("change", CHANGES.values(), ids=CHANGES.keys())
def test_verify_audit_recomputes_every_line(cast: Cast, capsys, change: str) -> None:
    """Any change to a line that keeps the client's total equal (another actor, outcome,
    part, times) is still found by verify_audit: each line is recomputed from the events."""
    from django.core.management import call_command

    for _ in range(2):
        read_dossier(cast)
    call_command("verify_audit", "--no-checkpoint")
    assert "OK:" in capsys.readouterr().out
    line = DayLine.objects.filter(
        client_id=cast.dossier.client_id, actor_id=cast.anna.pk, action="R"
    ).first()
    assert line is not None
    if connection.vendor != "postgresql":
        change = change.replace("first - interval '1 hour'", "first")
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_dayline SET "
            + change.format(other=cast.dirk.pk)
            + " WHERE id = %s",
            [line.pk],
        )
        assert cursor.rowcount == 1
    with pytest.raises(SystemExit) as exit_:
        call_command("verify_audit", "--no-checkpoint")
    assert exit_.value.code == 1
    assert "wijkt af" in capsys.readouterr().err


@pytest.mark.postgres
def test_counting_an_event_adds_no_index_entries(cast: Cast) -> None:
    """Nothing an event changes in its line is indexed, so PostgreSQL updates the line in
    place (HOT); an index on `last` made every count add index entries and slowed the append."""
    read_dossier(cast)

    def hot_updates() -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_stat_get_xact_tuples_hot_updated('audit_dayline'::regclass)"
            )
            return cursor.fetchone()[0]

    before = hot_updates()
    for _ in range(5):
        read_dossier(cast)
    assert hot_updates() - before == 5
