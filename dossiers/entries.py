"""The kinds of dossier entry, by their Dutch URL segment. Adding a kind starts here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from django.db.models import Prefetch, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from dossiers import forms
from dossiers.models import (
    Attachment,
    CareMoment,
    Discussion,
    Dossier,
    DossierEntry,
    Experience,
    Goal,
    OwnStatement,
    Treatment,
    TreatmentConsent,
)


def _goals_brief() -> tuple[Prefetch[Any], ...]:
    """A care moment shows its goals by description only."""
    brief = Goal.objects.only("id", "dossier_id", "key_ref", "description")
    return (Prefetch("goals", queryset=brief),)


@dataclass(frozen=True)
class EntryKind:
    """One kind of dossier entry, and everything that must know about it.

    Read by: the create/edit views and URLs (`slug`, `form`, titles), the change history
    (`dossiers.history`), destruction (`dossiers.lifecycle`, in reverse table order), the
    exports (`dossiers.exports.collect`, field `name`, order `chronological`), the dossier page
    and the portal (`dossiers.selectors`, `on_page`), and the log's words (`part`,
    `part_staff`, given to `audit.labels` at start-up).
    A kind refers only to kinds above it in `KINDS`, so deleting in reverse order works.
    """

    slug: str
    model: type[DossierEntry]
    form: type[forms.DossierEntryForm]
    title_new: Promise
    title_edit: Promise
    name: str  # the list's name in the page context and the export
    part: Promise  # how the client's log names this part of the dossier
    part_staff: Promise  # and how the zorgverlener's log view names it
    on_page: Literal["list", "paged", "under_treatment"] = "list"
    chronological: tuple[str, ...] = ()  # order in exports, when not the model's
    select: tuple[str, ...] = ()
    prefetch: Callable[[], tuple[str | Prefetch[Any], ...]] = tuple

    def entries(self, dossier: Dossier) -> QuerySet[Any]:
        """All of one dossier's entries of this kind, with what showing them needs."""
        found = self.model._default_manager.filter(dossier=dossier)
        if self.select:
            found = found.select_related(*self.select)
        return found.prefetch_related(*self.prefetch())


KINDS: dict[str, EntryKind] = {
    kind.slug: kind
    for kind in (
        EntryKind(
            "doelen",
            Goal,
            forms.GoalForm,
            _("Doel of voorkeur toevoegen"),
            _("Doel of voorkeur wijzigen"),
            name="goals",
            part=_("uw doelen en voorkeuren"),
            part_staff=_("de doelen en voorkeuren"),
        ),
        EntryKind(
            "behandelingen",
            Treatment,
            forms.TreatmentForm,
            _("Behandeling voorstellen"),
            _("Voorgestelde behandeling wijzigen"),
            name="treatments",
            part=_("uw behandelingen"),
            part_staff=_("de behandelingen"),
            prefetch=lambda: ("consents", "goals"),
        ),
        EntryKind(
            "overleg",
            Discussion,
            forms.DiscussionForm,
            _("Overleg vastleggen"),
            _("Overleg wijzigen"),
            name="discussions",
            part=_("het overleg met u"),
            part_staff=_("het overleg met de cliënt"),
            prefetch=lambda: ("treatments",),
        ),
        EntryKind(
            "toestemmingen",
            TreatmentConsent,
            forms.TreatmentConsentForm,
            _("Toestemming vastleggen"),
            _("Toestemming wijzigen of intrekken"),
            name="consents",
            part=_("uw toestemmingen"),
            part_staff=_("de toestemmingen"),
            on_page="under_treatment",
            select=("treatment",),
        ),
        EntryKind(
            "zorgmomenten",
            CareMoment,
            forms.CareMomentForm,
            _("Zorgmoment vastleggen"),
            _("Zorgmoment wijzigen"),
            name="care_moments",
            part=_("uw zorgmomenten"),
            part_staff=_("de zorgmomenten"),
            on_page="paged",
            chronological=("date", "start_time"),
            prefetch=_goals_brief,
        ),
        EntryKind(
            "ervaringen",
            Experience,
            forms.ExperienceForm,
            _("Ervaring van de cliënt"),
            _("Ervaring wijzigen"),
            name="experiences",
            part=_("uw ervaringen"),
            part_staff=_("de ervaringen"),
            chronological=("recorded_on",),
        ),
    )
}
# Not entry kinds, but dossier content all the same: shown, exported and destroyed with it.
OTHER_CONTENT: tuple[type[DossierEntry], ...] = (OwnStatement, Attachment)


class EntryKindConverter:
    regex = "|".join(KINDS)

    def to_python(self, value: str) -> EntryKind:
        return KINDS[value]

    def to_url(self, value: EntryKind | str) -> str:
        return value if isinstance(value, str) else value.slug
