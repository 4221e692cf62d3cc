"""Which Wkkgz elements a dossier still lacks (REQUIREMENTS.md §1)."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from dossiers.models import (
    BSN_FUNDING,
    Client,
    Discussion,
    Dossier,
    Experience,
    Goal,
    Treatment,
)

CARE_PLAN_AGREEMENT_DAYS = 42  # six weeks from the start of care


@dataclass(frozen=True)
class _Record:
    """What the rules read: prefetched, so checking costs no query."""

    client: Client
    dossier: Dossier
    goals: Sequence[Goal]
    treatments: Sequence[Treatment]
    discussions: Sequence[Discussion]
    experiences: Sequence[Experience]
    care_moment_count: int
    today: datetime.date


def _identity(r: _Record) -> list[str]:
    if r.client.funding in BSN_FUNDING and not (
        r.client.bsn_index and r.client.id_checked_on
    ):
        return [_("BSN en gecontroleerd identiteitsbewijs (verplicht bij Zvw/Wlz).")]
    return []


def _dossier_facts(r: _Record) -> list[str]:
    facts = (
        (r.dossier.agb_code, _("AGB-code van de behandelaar.")),
        (r.dossier.circumstances, _("Omstandigheden van de cliënt.")),
        (r.dossier.diagnosis, _("Diagnose.")),
    )
    return [str(line) for present, line in facts if not present]


def _goals(r: _Record) -> list[str]:
    if not r.goals:
        return [_("Doelen en voorkeuren van de cliënt.")]
    return [
        _("Evaluatie van doel “%(goal)s” was gepland op %(day)s.")
        % {
            "goal": Truncator(goal.description).chars(60),
            "day": date_format(goal.evaluate_on or r.today, "j F Y"),
        }
        for goal in r.goals
        if goal.evaluation_overdue(r.today)
    ]


def _treatments_and_discussions(r: _Record) -> list[str]:
    missing = []
    if not r.treatments:
        missing.append(_("Voorgestelde behandelingen."))
    if not r.discussions:
        missing.append(_("Overleg met de cliënt over behandelingen en doelen."))
    return missing


def _active_consents(treatment: Treatment) -> list[Any]:
    return [c for c in treatment.consents.all() if c.withdrawn_on is None]


def _consent(r: _Record) -> list[str]:
    return [
        _("Geen toestemming vastgelegd voor behandeling “%(title)s”.")
        % {"title": treatment.title}
        for treatment in r.treatments
        if not _active_consents(treatment)
    ]


def _care_plan_in_time(r: _Record) -> list[str]:
    try:
        deadline = r.dossier.start_date + datetime.timedelta(
            days=CARE_PLAN_AGREEMENT_DAYS
        )
    except OverflowError:  # a start date stored at the end of the calendar: not yet due
        return []
    agreed_on = [c.given_on for t in r.treatments for c in _active_consents(t)]
    if r.today > deadline and not any(day <= deadline for day in agreed_on):
        return [
            _(
                "Zorgplan niet binnen zes weken na de start van de zorg met de cliënt afgesproken."
            )
        ]
    return []


def _care_and_experiences(r: _Record) -> list[str]:
    missing = []
    if not r.care_moment_count:
        missing.append(_("Zorgmomenten met de bereikte resultaten."))
    if not r.experiences:
        missing.append(_("Ervaringen van de cliënt."))
    return missing


# The Wkkgz rules in the order the panel names them.
RULES = (
    _identity,
    _dossier_facts,
    _goals,
    _treatments_and_discussions,
    _consent,
    _care_plan_in_time,
    _care_and_experiences,
)


def missing_elements(
    *,
    client: Client,
    dossier: Dossier,
    goals: Sequence[Goal],
    treatments: Sequence[Treatment],
    discussions: Sequence[Discussion],
    experiences: Sequence[Experience],
    care_moment_count: int,
    today: datetime.date | None = None,
) -> list[str]:
    """Human-readable lines, in Dutch, for each element still missing. Uses prefetched data only."""
    record = _Record(
        client=client,
        dossier=dossier,
        goals=goals,
        treatments=treatments,
        discussions=discussions,
        experiences=experiences,
        care_moment_count=care_moment_count,
        today=today or timezone.localdate(),
    )
    return [str(line) for rule in RULES for line in rule(record)]
