"""Which Wkkgz elements a dossier still lacks (REQUIREMENTS.md §1)."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

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
    today = today or timezone.localdate()
    missing: list[str] = []
    if client.funding in BSN_FUNDING and not (
        client.bsn_index and client.id_checked_on
    ):
        missing.append(
            _("BSN en gecontroleerd identiteitsbewijs (verplicht bij Zvw/Wlz).")
        )
    if not dossier.agb_code:
        missing.append(_("AGB-code van de behandelaar."))
    if not dossier.circumstances:
        missing.append(_("Omstandigheden van de cliënt."))
    if not dossier.diagnosis:
        missing.append(_("Diagnose."))
    if not goals:
        missing.append(_("Doelen en voorkeuren van de cliënt."))
    for goal in goals:
        if goal.evaluation_overdue(today):
            missing.append(
                _("Evaluatie van doel “%(goal)s” was gepland op %(day)s.")
                % {
                    "goal": Truncator(goal.description).chars(60),
                    "day": date_format(goal.evaluate_on or today, "j F Y"),
                }
            )
    if not treatments:
        missing.append(_("Voorgestelde behandelingen."))
    if not discussions:
        missing.append(_("Overleg met de cliënt over behandelingen en doelen."))
    agreed_on: list[datetime.date] = []
    for treatment in treatments:
        active = [c for c in treatment.consents.all() if c.withdrawn_on is None]
        if not active:
            missing.append(
                _("Geen toestemming vastgelegd voor behandeling “%(title)s”.")
                % {"title": treatment.title}
            )
        agreed_on.extend(c.given_on for c in active)
    try:
        deadline = dossier.start_date + datetime.timedelta(
            days=CARE_PLAN_AGREEMENT_DAYS
        )
    except OverflowError:  # a start date stored at the end of the calendar: not yet due
        deadline = datetime.date.max
    if today > deadline and not any(day <= deadline for day in agreed_on):
        missing.append(
            _(
                "Zorgplan niet binnen zes weken na de start van de zorg met de cliënt afgesproken."
            )
        )
    if not care_moment_count:
        missing.append(_("Zorgmomenten met de bereikte resultaten."))
    if not experiences:
        missing.append(_("Ervaringen van de cliënt."))
    return missing
