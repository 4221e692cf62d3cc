from __future__ import annotations

import datetime
from typing import Any, ClassVar

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.forms import NewUsernameField
from accounts.models import Role, User, agb_validator
from consent.models import (
    PARENTS_END_AT,
    AccessGrant,
    InspectorMandate,
    Representation,
)
from consent.services import validate_grant_window, validate_window
from dossiers.models import Client
from ecd.forms import DateInput, SafeTextMixin


class GrantForm(SafeTextMixin, forms.ModelForm):  # type: ignore[type-arg]
    colleague_ref = forms.CharField(
        label=_("collega (gebruikersnaam of AGB-code)"),
        max_length=150,
        help_text=_(
            "De zorgverlener die toegang krijgt, bijvoorbeeld uw vervanger tijdens vakantie."
        ),
    )

    class Meta:
        model = AccessGrant
        fields = [
            "can_write",
            "valid_from",
            "valid_until",
            "consent_given_on",
            "consent_method",
            "consent_note",
        ]
        widgets: ClassVar[dict[str, Any]] = {
            "valid_from": DateInput(),
            "valid_until": DateInput(),
            "consent_given_on": DateInput(),
            "consent_note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, practice_id: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.practice_id = practice_id
        self.order_fields(["colleague_ref", *self._meta.fields])  # type: ignore[misc]

    def clean_colleague_ref(self) -> User:
        ref = self.cleaned_data["colleague_ref"].strip()
        colleague = (
            User.objects.filter(
                Q(username=ref) | Q(agb_code=ref), role=Role.CAREGIVER, is_active=True
            )
            .exclude(practice_id=self.practice_id)
            .first()
        )
        if colleague is None:
            raise ValidationError(
                _(
                    "Geen zorgverlener van een andere praktijk gevonden met deze gebruikersnaam of AGB-code."
                )
            )
        return colleague

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end, given = (
            data.get("valid_from"),
            data.get("valid_until"),
            data.get("consent_given_on"),
        )
        if start and end and end < start:
            self.add_error("valid_until", _("Het einde ligt vóór het begin."))
        elif start and end:
            try:
                validate_grant_window(start, end)
            except ValidationError as error:
                self.add_error(None, error)
        if end and end < timezone.localdate():
            self.add_error("valid_until", _("Deze datum ligt al in het verleden."))
        if given and given > timezone.localdate():
            self.add_error(
                "consent_given_on",
                _("De toestemming kan niet in de toekomst gegeven zijn."),
            )
        return data


class MandateForm(SafeTextMixin, forms.ModelForm):  # type: ignore[type-arg]
    username = NewUsernameField(label=_("gebruikersnaam inspecteur"))
    name = forms.CharField(label=_("naam inspecteur"), max_length=200)
    email = forms.EmailField(label=_("e-mailadres inspecteur"))

    class Meta:
        model = InspectorMandate
        fields = [
            "case_reference",
            "valid_from",
            "valid_until",
            "all_clients",
            "clients",
            "may_export",
        ]
        widgets: ClassVar[dict[str, Any]] = {
            "valid_from": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "valid_until": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "clients": forms.CheckboxSelectMultiple(),
        }

    def __init__(self, *args: Any, practice_id: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["clients"].queryset = Client.objects.filter(  # type: ignore[attr-defined]
            practice_id=practice_id
        ).order_by("created_at")
        self.order_fields(["username", "name", "email", *self._meta.fields])  # type: ignore[misc]
        now = timezone.localtime().replace(second=0, microsecond=0)
        self.fields["valid_from"].initial = now
        self.fields["valid_until"].initial = now + datetime.timedelta(days=14)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("valid_from"), data.get("valid_until")
        if start and end:
            try:
                validate_window(start, end)
            except ValidationError as exc:
                self.add_error(None, exc)
        if (
            not data.get("all_clients")
            and not data.get("clients")
            and "clients" not in self.errors
        ):
            self.add_error(
                "clients",
                _(
                    "Kies de dossiers, of geef toegang tot alle dossiers van de praktijk."
                ),
            )
        return data


class ColleagueInviteForm(SafeTextMixin, forms.Form):
    """A zorgverlener of another praktijk without an account: invited to choose a password."""

    name = forms.CharField(label=_("naam collega"), max_length=200)
    email = forms.EmailField(label=_("e-mailadres collega"))
    username = NewUsernameField(
        label=_("gebruikersnaam voor de collega"),
        help_text=_("Hiermee logt uw collega in en geeft u toegang tot een dossier."),
    )
    agb_code = forms.CharField(
        label=_("AGB-code (als die er is)"),
        max_length=8,
        required=False,
        validators=[agb_validator],
    )
    practice_name = forms.CharField(
        label=_("naam van de praktijk van de collega"),
        max_length=200,
        required=False,
        help_text=_("Leeg laten mag: dan heet de praktijk naar uw collega."),
    )


class RepresentationForm(SafeTextMixin, forms.ModelForm):  # type: ignore[type-arg]
    """A representative and what shows it; the age rules are the model's (`clean`)."""

    # A parent's representation may run to the 16th birthday of a newborn.
    date_future_years: ClassVar[dict[str, int]] = {
        "document_date": 0,
        "valid_until": PARENTS_END_AT,
    }

    class Meta:
        model = Representation
        fields = [
            "kind",
            "name",
            "document_kind",
            "document_reference",
            "document_date",
            "valid_from",
            "valid_until",
        ]
        widgets: ClassVar[dict[str, Any]] = {
            "kind": forms.RadioSelect,
            "name": forms.TextInput,
            "document_reference": forms.TextInput,
            "document_date": DateInput(),
            "valid_from": DateInput(),
            "valid_until": DateInput(),
        }
        help_texts: ClassVar[dict[str, Any]] = {
            "valid_until": _(
                "Leeg laten als er geen einddatum is (curator, mentor, gemachtigde). "
                "Voor een ouder of voogd: uiterlijk de 16e verjaardag van het kind."
            ),
        }

    def __init__(self, *args: Any, client: Client, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.client = client
        self.instance.practice_id = client.practice_id
        self.instance.key_ref = client.key_ref
        if not self.is_bound:
            self.fields["valid_from"].initial = timezone.localdate()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("valid_from"), data.get("valid_until")
        if start and end and end < start:
            self.add_error("valid_until", _("Het einde ligt vóór het begin."))
        return data


class RefusalForm(SafeTextMixin, forms.Form):
    """WGBO 7:457: refusing a parent's access to a 12-15-year-old's record, or lifting it."""

    refused = forms.BooleanField(
        label=_("toegang van deze ouder of voogd weigeren"), required=False
    )
    reason = forms.CharField(
        label=_("reden (uw afweging als goed hulpverlener)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("refused") and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Leg vast waarom u de toegang weigert."))
        return data


class InviteForm(SafeTextMixin, forms.Form):
    """The address an invitation goes to (a client, a representative)."""

    email = forms.EmailField(label=_("e-mailadres"))

    def __init__(self, *args: Any, label: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if label:
            self.fields["email"].label = label
