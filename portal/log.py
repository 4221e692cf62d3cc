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

from accounts.models import Practice
from audit.models import LINE_KEY, DayLine
from dossiers.entries import KINDS

PARTS = {
    "dossier": "uw dossier",
    "client": "uw persoonsgegevens",
    **{kind.model._meta.model_name: kind.part for kind in KINDS.values()},
    "attachment": "een bijlage",
    "ownstatement": "uw eigen verklaring",
    "rightsrequest": "uw verzoek",
    "accessgrant": "de toegang tot uw dossier",
    "accesslog": "het logboek van uw dossier",
    "invitation": "de uitnodiging voor het portaal",
    "representation": "wie namens u optreedt",
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
    "proxy": "namens u",
    "none": "zonder grond",
}
REPRESENTATIVE = "vertegenwoordiger"


@dataclass(frozen=True)
class LogLine:
    day: datetime.date
    first: datetime.datetime
    last: datetime.datetime
    count: int
    sentence: str
    who: str
    part: str
    action: str
    denied: bool
    details: str  # under the sentence: organisation · role · part · action · basis · emergency


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
    return lines.values("day", *SHOWN, "count", "first", "last").order_by(
        "-day", "-last", "-id"
    )


ANOTHER_PORTAL_USER = "een andere portaalgebruiker"


def in_words(rows: list[dict[str, Any]], *, viewer_id: Any = None) -> list[LogLine]:
    """Who-saw-what lines as the client reads them (the portal and the PDF afschrift);
    `viewer_id`: the client's portal account."""
    organisations = dict(
        Practice.objects.filter(
            pk__in={row["practice_id"] for row in rows}
        ).values_list("id", "name")
    )
    names = representative_names(rows)
    return [
        as_line(row, organisations, viewer_id=viewer_id, names=names) for row in rows
    ]


def representative_names(rows: list[dict[str, Any]]) -> dict[Any, str]:
    """A representative's name for the lines they caused "namens" the client. A portal
    account's name is never in the log (#26), so it is read from the account."""
    from accounts.models import User

    ids = {row["actor_id"] for row in rows if row["basis"] == "proxy"}
    if not ids:
        return {}
    return {user.pk: user.display_name for user in User.objects.filter(pk__in=ids)}


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
    denied = row["outcome"] != "success"
    role = ROLES.get(row["actor_role"], _("onbekende rol"))
    basis = BASES.get(row["basis"], "")
    on_behalf = row["basis"] == "proxy" and not denied
    own = (
        row["basis"] == "self" and not denied
    )  # the client, read by their representative
    hidden = (
        row["actor_role"] == "client"
        and row["actor_id"] != viewer_id
        and not (on_behalf or own)
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
    part = str(PARTS.get(row["object_type"], _("uw dossier")))
    verb = VERBS.get(row["action"], "gebruikte")
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
    if denied and hidden:
        sentence = (
            f"{who} probeerde {part} te openen op {on} {at}; dat werd geweigerd{times}."
        )
    elif denied:
        sentence = f"{who} ({role}) probeerde {part} te openen op {on} {at}; dat werd geweigerd{times}."
    else:
        sentence = f"{who} ({role}) {verb} {part} op {on} {at}, {basis}{times}."
    organisation = "" if hidden else organisations.get(row["practice_id"], "")
    emergency = (
        _("noodprocedure gebruikt") if row["emergency"] else _("geen noodprocedure")
    )
    details = " · ".join(
        bit for bit in (organisation, role, part, verb, basis, emergency) if bit
    )
    return LogLine(
        day=row["day"],
        first=row["first"],
        last=row["last"],
        count=row["count"],
        sentence=sentence,
        who=who,
        part=part,
        action=verb,
        denied=denied,
        details=details,
    )


@lru_cache(maxsize=1024)
def _long_date(day: datetime.date, language: str | None) -> str:
    """The day in words (3 november 2026); a page's lines share a few days, formatted once
    per day and language (`language` is only part of the cache key)."""
    return date_format(day, "j F Y")
