"""The kinds of dossier entry, by their Dutch URL segment. Adding a kind starts here."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from dossiers import forms
from dossiers.models import (
    CareMoment,
    Discussion,
    DossierEntry,
    Experience,
    Goal,
    Treatment,
    TreatmentConsent,
)


@dataclass(frozen=True)
class EntryKind:
    slug: str
    model: type[DossierEntry]
    form: type[forms.DossierEntryForm]
    title_new: Promise
    title_edit: Promise


KINDS: dict[str, EntryKind] = {
    kind.slug: kind
    for kind in (
        EntryKind(
            "doelen",
            Goal,
            forms.GoalForm,
            _("Doel of voorkeur toevoegen"),
            _("Doel of voorkeur wijzigen"),
        ),
        EntryKind(
            "behandelingen",
            Treatment,
            forms.TreatmentForm,
            _("Behandeling voorstellen"),
            _("Voorgestelde behandeling wijzigen"),
        ),
        EntryKind(
            "overleg",
            Discussion,
            forms.DiscussionForm,
            _("Overleg vastleggen"),
            _("Overleg wijzigen"),
        ),
        EntryKind(
            "toestemmingen",
            TreatmentConsent,
            forms.TreatmentConsentForm,
            _("Toestemming vastleggen"),
            _("Toestemming wijzigen of intrekken"),
        ),
        EntryKind(
            "zorgmomenten",
            CareMoment,
            forms.CareMomentForm,
            _("Zorgmoment vastleggen"),
            _("Zorgmoment wijzigen"),
        ),
        EntryKind(
            "ervaringen",
            Experience,
            forms.ExperienceForm,
            _("Ervaring van de cliënt"),
            _("Ervaring wijzigen"),
        ),
    )
}


class EntryKindConverter:
    regex = "|".join(KINDS)

    def to_python(self, value: str) -> EntryKind:
        return KINDS[value]

    def to_url(self, value: EntryKind | str) -> str:
        return value if isinstance(value, str) else value.slug
