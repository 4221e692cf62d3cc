from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("code"),
        max_length=16,
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "autofocus": True,
            }
        ),
        help_text=_(
            "De 6 cijfers uit uw authenticator-app, of een van uw reservecodes."
        ),
    )

    def clean_token(self) -> str:
        return "".join(self.cleaned_data["token"].split())
