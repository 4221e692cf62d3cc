"""The access log in words a layperson understands, folded per day (NEN 7513 ch. 9)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any, overload

from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Min, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from audit.models import AccessEvent
from portal.models import FoldedDay, FoldMark

PARTS = {
    "dossier": "uw dossier",
    "client": "uw persoonsgegevens",
    "caremoment": "uw zorgmomenten",
    "goal": "uw doelen en voorkeuren",
    "treatment": "uw behandelingen",
    "discussion": "het overleg met u",
    "treatmentconsent": "uw toestemmingen",
    "experience": "uw ervaringen",
    "attachment": "een bijlage",
    "ownstatement": "uw eigen verklaring",
    "rightsrequest": "uw verzoek",
    "accessgrant": "de toegang tot uw dossier",
    "accesslog": "het logboek van uw dossier",
    "invitation": "de uitnodiging voor het portaal",
}
VERBS = {
    "R": "bekeek",
    "C": "legde vast in",
    "U": "wijzigde",
    "D": "verwijderde",
    "E": "gebruikte",
}
ROLES = {
    "zorgverlener": "zorgverlener",
    "client": "cliënt",
    "inspecteur": "IGJ-inspecteur",
    "beheerder": "beheerder",
}
BASES = {
    "own": "als uw zorgverlener",
    "grant": "met uw toestemming",
    "inspector": "als toezichthouder (IGJ)",
    "self": "uzelf",
    "none": "zonder grond",
}


@dataclass(frozen=True)
class LogLine:
    day: datetime.date
    first: datetime.datetime
    last: datetime.datetime
    count: int
    sentence: str
    who: str
    organisation: str
    role: str
    part: str
    action: str
    basis: str
    emergency: bool
    denied: bool


GROUP = (
    "actor_id",
    "actor_name",
    "actor_role",
    "action",
    "object_type",
    "basis",
    "case_reference",
    "outcome",
    "emergency",
    "practice_id",
)


def _midnight(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(
        day, datetime.time(), timezone.get_current_timezone()
    )


def _fold(events: QuerySet[AccessEvent]) -> QuerySet[Any]:
    tz = timezone.get_current_timezone()
    return (
        events.annotate(day=TruncDate("occurred_at", tzinfo=tz))
        .values("day", *GROUP)
        .annotate(count=Count("id"), first=Min("occurred_at"), last=Max("occurred_at"))
        .order_by("-last")
    )


def folded_events(
    client_id: Any, *, since: datetime.date | None, until: datetime.date | None
) -> QuerySet[Any]:
    """Fold the raw events of a period (used for today, and to fill FoldedDay)."""
    events = AccessEvent.objects.filter(client_id=client_id)
    if since:
        events = events.filter(occurred_at__gte=_midnight(since))
    if until:
        events = events.filter(
            occurred_at__lt=_midnight(until + datetime.timedelta(days=1))
        )
    return _fold(events)


def fold_past_days(client_id: Any, today: datetime.date) -> None:
    """Fold every not yet folded day before today, once."""
    if FoldMark.objects.filter(client_id=client_id, folded_until__gte=today).exists():
        return  # the usual case: one indexed read, no lock
    with transaction.atomic():
        try:
            with transaction.atomic():
                FoldMark.objects.get_or_create(client_id=client_id)
        except IntegrityError:
            pass  # a concurrent request made it
        mark = FoldMark.objects.select_for_update().get(client_id=client_id)
        if mark.folded_until is not None and mark.folded_until >= today:
            return
        events = AccessEvent.objects.filter(
            client_id=client_id, occurred_at__lt=_midnight(today)
        )
        if mark.folded_until is not None:
            events = events.filter(occurred_at__gte=_midnight(mark.folded_until))
        FoldedDay.objects.bulk_create(
            (FoldedDay(client_id=client_id, **row) for row in _fold(events)),
            batch_size=1000,
        )
        mark.folded_until = today
        mark.save(update_fields=["folded_until"])


class FoldedLog:
    """Today's lines (folded live) followed by the stored lines of past days, newest first;
    sliceable, so Paginator reads only the page it shows."""

    def __init__(
        self, client_id: Any, since: datetime.date | None, until: datetime.date | None
    ) -> None:
        today = timezone.localdate()
        fold_past_days(client_id, today)
        shows_today = (since is None or since <= today) and (
            until is None or until >= today
        )
        self.today = (
            list(folded_events(client_id, since=today, until=None))
            if shows_today
            else []
        )
        past = FoldedDay.objects.filter(client_id=client_id)
        if since:
            past = past.filter(day__gte=since)
        if until:
            past = past.filter(day__lte=until)
        self.past = past.values("day", *GROUP, "count", "first", "last").order_by(
            "-last"
        )
        self._count: int | None = None

    def __len__(self) -> int:
        if self._count is None:
            self._count = len(self.today) + self.past.count()
        return self._count

    @overload
    def __getitem__(self, index: int) -> dict[str, Any]: ...
    @overload
    def __getitem__(self, index: slice) -> list[dict[str, Any]]: ...
    def __getitem__(self, index: int | slice) -> Any:
        if isinstance(index, int):
            return self[index : index + 1][0]
        start, stop = (
            index.start or 0,
            index.stop if index.stop is not None else len(self),
        )
        live = self.today[start:stop]
        offset = len(self.today)
        rest = list(self.past[max(start - offset, 0) : max(stop - offset, 0)])
        return live + rest


def as_line(row: dict[str, Any], organisations: dict[Any, str]) -> LogLine:
    who = row["actor_name"] or _("iemand die niet was ingelogd")
    role = ROLES.get(row["actor_role"], row["actor_role"] or "—")
    part = PARTS.get(row["object_type"], row["object_type"] or "uw dossier")
    verb = VERBS.get(row["action"], "gebruikte")
    basis = BASES.get(row["basis"], row["basis"])
    if row["basis"] == "inspector" and row["case_reference"]:
        basis += f", zaak {row['case_reference']}"
    when = timezone.localtime(row["first"])
    denied = row["outcome"] != "success"
    times = f" ({row['count']} keer)" if row["count"] > 1 else ""
    if denied:
        sentence = f"{who} ({role}) probeerde {part} te openen op {date_format(when, 'j F Y')} om {when:%H:%M}; dat werd geweigerd{times}."
    else:
        sentence = f"{who} ({role}) {verb} {part} op {date_format(when, 'j F Y')} om {when:%H:%M}, {basis}{times}."
    return LogLine(
        day=row["day"],
        first=row["first"],
        last=row["last"],
        count=row["count"],
        sentence=sentence,
        who=who,
        organisation=organisations.get(row["practice_id"], ""),
        role=role,
        part=part,
        action=verb,
        basis=basis,
        emergency=row["emergency"],
        denied=denied,
    )
