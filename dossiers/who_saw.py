"""The access log in words a layperson understands, folded per day (NEN 7513 ch. 9)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import Practice, User
from audit.labels import BASES, TIMES_ARE, Voice, describe, role_words
from audit.models import LINE_KEY, DayLine


@dataclass(frozen=True)
class LogLine:
    day: datetime.date
    first: datetime.datetime
    last: datetime.datetime
    count: int
    sentence: str
    who: str
    did: str  # what was done, in words (`audit.labels.describe`)
    denied: bool
    details: (
        str  # under the sentence: organisation · role · basis · emergency · time zone
    )


SHOWN = tuple(name for name in LINE_KEY if name not in ("client_id", "day"))


def lines_of(
    client_id: Any, since: datetime.date | None, until: datetime.date | None
) -> QuerySet[Any]:
    """A client's who-saw-what lines of a period, newest first: stored per day and kept up
    to date as events are appended (`audit.DayLine`), so a page reads only its own lines
    (one indexed, paged read) however long the log is."""
    lines = DayLine.objects.filter(client_id=client_id)
    if since:
        lines = lines.filter(day__gte=since)
    if until:
        lines = lines.filter(day__lte=until)
    # Newest first: a line lies within its day, so the key's index (client, day) leads.
    rows: QuerySet[Any] = lines.values(
        "day", *SHOWN, "count", "first", "last"
    ).order_by("-day", "-last", "-id")
    return rows


ANOTHER_PORTAL_USER = "een andere portaalgebruiker"
REPRESENTATIVE = "vertegenwoordiger"


def in_words(rows: list[dict[str, Any]], *, viewer_id: Any = None) -> list[LogLine]:
    """Who-saw-what lines as the client reads them (the portal and the PDF afschrift);
    `viewer_id`: the client's portal account."""
    organisations = dict(
        Practice.objects.filter(
            pk__in={row["practice_id"] for row in rows}
        ).values_list("id", "name")
    )
    names = portal_account_names(
        {row["actor_id"] for row in rows if row["basis"] == "proxy"}
    )
    return [
        as_line(row, organisations, viewer_id=viewer_id, names=names) for row in rows
    ]


def portal_account_names(ids: set[Any]) -> dict[Any, str]:
    """The names of portal accounts (clients, representatives) for log lines. A portal
    account's name is never in the log (#26): a client's comes from their record while it
    exists (after destruction only id and role remain), a representative's from their
    account."""
    if not ids:
        return {}
    names = {}
    for user in User.objects.filter(pk__in=ids).select_related("client_record"):
        record = getattr(user, "client_record", None)
        names[user.pk] = str(record.full_name) if record else str(user.display_name)
    return names


def as_line(
    row: dict[str, Any],
    organisations: dict[Any, str],
    *,
    viewer_id: Any = None,
    names: dict[Any, str] | None = None,
) -> LogLine:
    """One who-saw-what line in words, for the client whose record it is. The client's own
    acts read "U" (a client's name is never logged, #26); a representative's acts read
    "<naam> (vertegenwoordiger) … namens u" (`names`: their account names); another
    client's denied attempt never shows that client's name or that they are a client of
    the practice."""
    # Long because each branch is one wording rule of who-saw-what (the client, a
    # representative, another client, a refusal); apart, the rules would lose their order.
    denied = row["outcome"] != "success"
    role = role_words(row["actor_role"])
    basis = BASES.get(row["basis"], "")
    on_behalf = row["basis"] == "proxy" and not denied
    own = row["basis"] == "self" and not denied  # the client, read by a representative
    hidden = (
        row["actor_role"] == "client"
        and row["actor_id"] != viewer_id
        and not (on_behalf or own)
    )
    by_self = (
        row["actor_role"] == "client" and row["actor_id"] == viewer_id and not on_behalf
    )
    if on_behalf:
        role = _(REPRESENTATIVE)
    if hidden:
        who, role = _(ANOTHER_PORTAL_USER), _("portaalgebruiker")
    elif row["actor_id"] == viewer_id and row["actor_role"] == "client":
        who = _("U")
        basis = _("namens de cliënt") if on_behalf else basis
    elif on_behalf:
        who = (names or {}).get(row["actor_id"]) or _("uw vertegenwoordiger")
    elif own:
        who, basis = _("de cliënt"), _("zelf")
    else:
        who = row["actor_name"] or _("iemand die niet was ingelogd")
    did = describe(
        row["event_type"],
        row["outcome"],
        object_type=row["object_type"],
        action=row["action"],
        recipient=row["recipient"],
        voice=Voice.CLIENT,
        by_self=by_self,
    )
    if row["basis"] == "inspector" and row["case_reference"]:
        basis += f", zaak {row['case_reference']}"
    when, until = timezone.localtime(row["first"]), timezone.localtime(row["last"])
    on = _long_date(when.date(), translation.get_language())
    times = f" ({row['count']} keer)" if row["count"] > 1 else ""
    at = (
        f"tussen {when:%H:%M} en {until:%H:%M}"
        if f"{when:%H:%M}" != f"{until:%H:%M}"
        else f"om {when:%H:%M}"
    )
    # "probeerde uw doelen te wijzigen; dat werd geweigerd": the time goes before the ";"
    act, _sep, end = did.partition("; ")
    named = who if hidden else f"{who} ({role})"
    if denied:
        sentence = f"{named} {act} op {on} {at}; {end}{times}."
    else:
        sentence = f"{named} {act} op {on} {at}, {basis}{times}."
    organisation = "" if hidden else organisations.get(row["practice_id"], "")
    emergency = (
        _("noodprocedure gebruikt") if row["emergency"] else _("geen noodprocedure")
    )
    details = " · ".join(
        bit
        for bit in (organisation, role, "" if denied else basis, emergency, TIMES_ARE)
        if bit
    )
    return LogLine(
        day=row["day"],
        first=row["first"],
        last=row["last"],
        count=row["count"],
        sentence=sentence,
        who=who,
        did=did,
        denied=denied,
        details=details,
    )


@lru_cache(maxsize=1024)
def _long_date(day: datetime.date, language: str | None) -> str:
    """The day in words (3 november 2026); a page's lines share a few days, formatted once
    per day and language (`language` is only part of the cache key)."""
    return date_format(day, "j F Y")
