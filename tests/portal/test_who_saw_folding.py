"""Who-saw-what stays fast with years of events: past days are folded once into FoldedDay,
and the page shows exactly what folding every raw event would show."""

import datetime

from django.urls import reverse
from django.utils import timezone

from audit.services import record_many
from portal.log import as_line, folded_events
from portal.models import FoldedDay, FoldMark
from tests.personas import Cast


def past_event(cast: Cast, when: datetime.datetime, action: str = "R") -> dict:
    return {
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
        "action": action,
        "event_type": "dossier.read",
        "object_type": "dossier" if action == "R" else "caremoment",
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


def sentences(rows) -> list[str]:
    return [as_line(row, {}).sentence for row in rows]


def test_the_page_equals_folding_every_event_and_folds_each_day_once(
    cast: Cast, as_user
) -> None:
    seed_history(cast)
    http = as_user(cast.bram)
    url = reverse("portal:who_saw")
    first = http.get(url)
    shown = [line.sentence for line in first.context["lines"]]
    expected = sentences(folded_events(cast.dossier.client_id, since=None, until=None))
    # the page's own reading is logged before it folds: compare what both include
    assert shown[-8:] == expected[-8:]
    assert len(shown) == len(expected)
    folded = FoldedDay.objects.filter(client_id=cast.dossier.client_id).count()
    assert folded == 8  # four past days × (read, create)
    assert FoldMark.objects.get(client_id=cast.dossier.client_id).folded_until == (
        timezone.localdate()
    )
    again = http.get(url)
    assert FoldedDay.objects.filter(client_id=cast.dossier.client_id).count() == folded
    assert [line.sentence for line in again.context["lines"]][-8:] == shown[-8:]


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
