from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from audit.models import Action, Outcome
from ecd.forms import DateInput, PlausibleDatesMixin


class EventFilterForm(PlausibleDatesMixin, forms.Form):
    since = forms.DateField(label=_("vanaf"), required=False, widget=DateInput())
    until = forms.DateField(label=_("tot en met"), required=False, widget=DateInput())
    action = forms.ChoiceField(
        label=_("handeling"), required=False, choices=[("", _("alle")), *Action.choices]
    )
    outcome = forms.ChoiceField(
        label=_("uitkomst"), required=False, choices=[("", _("alle")), *Outcome.choices]
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("since") and data.get("until") and data["until"] < data["since"]:
            self.add_error("until", _("De einddatum ligt vóór de begindatum."))
        return data
