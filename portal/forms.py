from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.forms import NewUsernameField
from accounts.models import User
from ecd.forms import DateInput, PlausibleDatesMixin, SafeTextMixin
from portal.models import RequestKind, RequestStatus


class StatementForm(SafeTextMixin, forms.Form):
    text = forms.CharField(
        label=_("uw verklaring"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Wat u aan uw dossier wilt toevoegen. Uw zorgverlener kan dit niet wijzigen of verwijderen."
        ),
    )


class RightsRequestForm(SafeTextMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("wat vraagt u?"), choices=RequestKind.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=_("toelichting"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Bijvoorbeeld welk gegeven niet klopt, of welk deel vernietigd moet worden."
        ),
    )


class DecisionForm(SafeTextMixin, forms.Form):
    status = forms.ChoiceField(
        label=_("besluit"),
        choices=[c for c in RequestStatus.choices if c[0] != RequestStatus.OPEN],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("motivering voor de cliënt"), widget=forms.Textarea(attrs={"rows": 4})
    )


class PeriodForm(PlausibleDatesMixin, forms.Form):
    since = forms.DateField(label=_("vanaf"), required=False, widget=DateInput())
    until = forms.DateField(label=_("tot en met"), required=False, widget=DateInput())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("since") and data.get("until") and data["until"] < data["since"]:
            self.add_error("until", _("De einddatum ligt vóór de begindatum."))
        return data


class AcceptInvitationForm(SafeTextMixin, forms.Form):
    """Choose a password (and, for a client, a username). For an account someone else
    made (inspector, colleague) the username is already set and only shown."""

    username = NewUsernameField(label=_("kies een gebruikersnaam"))
    password1 = forms.CharField(
        label=_("kies een wachtwoord"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Minstens 12 tekens; een zin van een paar woorden werkt goed."),
    )
    password2 = forms.CharField(
        label=_("herhaal het wachtwoord"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, account: User | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.account = account
        if account is not None:
            del self.fields["username"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        one, two = data.get("password1"), data.get("password2")
        if one and two and one != two:
            self.add_error("password2", _("De wachtwoorden zijn niet gelijk."))
        elif one:
            user = self.account or User(username=data.get("username", ""))
            try:
                validate_password(one, user)
            except ValidationError as exc:
                self.add_error("password1", exc)
        return data
