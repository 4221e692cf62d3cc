from __future__ import annotations

from typing import Any

from django import forms

from notifications.models import MANDATORY, Kind


class PreferencesForm(forms.Form):
    """One checkbox per optional kind the person can receive; mandatory ones are shown
    on the page as always on, not as fields (nothing to post for them)."""

    def __init__(
        self, *args: Any, kinds: tuple[str, ...], off: set[str], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        for kind in kinds:
            if kind not in MANDATORY:
                self.fields[kind] = forms.BooleanField(
                    label=Kind(kind).label, required=False, initial=kind not in off
                )

    def wanted(self) -> set[str]:
        return {kind for kind, on in self.cleaned_data.items() if on}
