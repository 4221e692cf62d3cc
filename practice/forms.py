from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.utils.translation import gettext_lazy as _

from ecd.forms import DateInput, SafeTextMixin
from practice.models import CheckResult, LeadingDossier, PrivacyStatement, Subcontract
from practice.wkkgz import ITEMS


class PrivacyStatementForm(SafeTextMixin, forms.ModelForm):  # type: ignore[type-arg]
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Blank only on versions published before the portal showed it; a new one has it.
        self.fields["phone"].required = True

    class Meta:
        model = PrivacyStatement
        fields = ["phone", "contact", "complaints", "purposes", "extra"]
        widgets: ClassVar[dict[str, Any]] = {
            name: forms.Textarea(attrs={"rows": 3})
            for name in ("contact", "complaints", "purposes", "extra")
        }


class SubcontractForm(SafeTextMixin, forms.ModelForm):  # type: ignore[type-arg]
    date_future_years: ClassVar[dict[str, int]] = {"agreed_on": 0}
    leading = forms.ChoiceField(  # a radio choice has no empty "---------" option
        label=_("welk dossier is leidend"),
        choices=LeadingDossier.choices,
        widget=forms.RadioSelect(),
    )

    class Meta:
        model = Subcontract
        fields = ["principal", "agreed_on", "leading"]
        widgets: ClassVar[dict[str, Any]] = {
            "agreed_on": DateInput(),
        }


class PrincipalCheckForm(SafeTextMixin, forms.Form):
    """One result, note and follow-up per Wkkgz item of the opdrachtgever's dossier."""

    date_future_years: ClassVar[dict[str, int]] = {"checked_on": 0}

    checked_on = forms.DateField(label=_("gecontroleerd op"), widget=DateInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key, label in ITEMS:
            self.fields[f"{key}__result"] = forms.ChoiceField(
                label=label,
                choices=CheckResult.choices,
                widget=forms.RadioSelect(),
            )
            self.fields[f"{key}__note"] = forms.CharField(
                label=_("toelichting"), required=False, max_length=500
            )
            self.fields[f"{key}__follow_up"] = forms.CharField(
                label=_("afspraak met de opdrachtgever"), required=False, max_length=500
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for key, label in ITEMS:
            if cleaned.get(f"{key}__result") == CheckResult.MISSING and not cleaned.get(
                f"{key}__follow_up"
            ):
                self.add_error(
                    f"{key}__follow_up",
                    _("Leg vast wat u met de opdrachtgever afspreekt over: %(item)s.")
                    % {"item": label},
                )
        return cleaned

    def items(self) -> dict[str, dict[str, str]]:
        data = self.cleaned_data
        return {
            key: {
                "result": data[f"{key}__result"],
                "note": data.get(f"{key}__note", ""),
                "follow_up": data.get(f"{key}__follow_up", ""),
            }
            for key, _label in ITEMS
        }

    def rows(self) -> list[tuple[Any, Any, Any, Any]]:
        return [
            (
                label,
                self[f"{key}__result"],
                self[f"{key}__note"],
                self[f"{key}__follow_up"],
            )
            for key, label in ITEMS
        ]
