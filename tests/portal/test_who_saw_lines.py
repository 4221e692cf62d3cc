"""Who-saw-what stays fast with years of events: the page reads the client's stored lines
(`audit.DayLine`) a page at a time, and shows exactly what grouping every event would show."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audit.services import record_many
from dossiers.who_saw import as_line
from portal.views import LINES_PER_PAGE as LINES_SHOWN
from tests.audit.helpers import KEY, event, grouped_log
from tests.personas import Cast


def past_event(cast: Cast, when: datetime.datetime, action: str = "R") -> dict:
    return event(
        cast,
        when,
        action=action,
        event_type="dossier.view" if action == "R" else "caremoment.create",
        object_type="dossier" if action == "R" else "caremoment",
    )


def seed_history(cast: Cast) -> None:
    today = timezone.localdate()

    def noon(days_ago: int, minute: int) -> datetime.datetime:
        day = today - datetime.timedelta(days=days_ago)
        return timezone.make_aware(
            datetime.datetime.combine(day, datetime.time(12, minute))
        )

    events = [
        past_event(cast, noon(d, m), "R" if m % 2 else "C")
        for d in (40, 12, 3, 2)
        for m in range(5)
    ]
    record_many(
        str(cast.dossier.practice_id), sorted(events, key=lambda e: e["occurred_at"])
    )


def every_event_grouped(cast: Cast) -> list[str]:
    """What the page must say, from grouping every event of the log, newest first."""
    rows = [
        {**dict(zip(KEY, key, strict=True)), "count": n, "first": first, "last": last}
        for key, (n, first, last) in grouped_log().items()
        if key[0] == cast.dossier.client_id
    ]
    rows.sort(key=lambda row: row["last"], reverse=True)
    return [as_line(row, {}, viewer_id=cast.bram.pk).sentence for row in rows]


def test_the_page_equals_grouping_every_event(cast: Cast, as_user) -> None:
    seed_history(cast)
    http = as_user(cast.bram)
    url = reverse("portal:who_saw")
    first = http.get(url)
    shown = [line.sentence for line in first.context["lines"]]
    expected = every_event_grouped(cast)
    assert (
        shown == expected[:LINES_SHOWN] and len(expected) >= 9
    )  # 4 days × (R, C) + this page
    again = http.get(url).context["lines"]
    assert [line.sentence for line in again] == every_event_grouped(cast)[:LINES_SHOWN]
    own = [line for line in again if line.did == "bekeek het logboek van uw dossier"]
    assert len(own) == 1 and own[0].count == 2  # opening the page twice: one line


def test_a_page_of_lines_costs_the_same_however_long_the_log(
    cast: Cast, as_user
) -> None:
    http = as_user(cast.bram)
    url = reverse("portal:who_saw")
    http.get(url)
    with CaptureQueriesContext(connection) as short:
        http.get(url)
    for _ in range(4):
        seed_history(cast)  # the same days again: more events, not more lines
    seed_many_days(cast, LINES_SHOWN * 3)
    with CaptureQueriesContext(connection) as long:
        response = http.get(url)
    assert len(response.context["lines"]) == LINES_SHOWN
    assert len(long.captured_queries) == len(short.captured_queries)


def seed_many_days(cast: Cast, days: int) -> None:
    today = timezone.localdate()
    events = [
        past_event(
            cast,
            timezone.make_aware(
                datetime.datetime.combine(
                    today - datetime.timedelta(days=100 + d), datetime.time(8)
                )
            ),
        )
        for d in range(days, 0, -1)
    ]
    record_many(str(cast.dossier.practice_id), events)


def test_a_period_shows_only_its_days(cast: Cast, as_user) -> None:
    seed_history(cast)
    today = timezone.localdate()
    http = as_user(cast.bram)
    response = http.get(
        reverse("portal:who_saw"),
        {
            "since": (today - datetime.timedelta(days=13)).isoformat(),
            "until": (today - datetime.timedelta(days=2)).isoformat(),
        },
    )
    days = {line.day for line in response.context["lines"]}
    assert days == {today - datetime.timedelta(days=d) for d in (12, 3, 2)}
