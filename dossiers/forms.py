"""Forms: explicit field lists (never __all__), Dutch errors next to their fields."""

from __future__ import annotations

import datetime
from typing import Any, ClassVar

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dossiers.models import (
    BSN_FUNDING,
    CareMoment,
    Client,
    Discussion,
    Dossier,
    Experience,
    ExportKind,
    Goal,
    Treatment,
    TreatmentConsent,
)
from dossiers.validators import normalise_bsn, validate_bsn
from ecd.forms import DateInput, SafeTextMixin, TimeInput


class VersionedForm(SafeTextMixin, forms.ModelForm):  # type: ignore[type-arg]
    """Carries the version the user saw, so a concurrent edit is caught instead of overwritten."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    change_reason = forms.CharField(
        label=_("reden van de wijziging"),
        required=False,
        max_length=500,
        help_text=_(
            "Nodig bij een correctie van vastgelegde tekst; de eerdere versie blijft bewaard."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance and not self.instance._state.adding:
            self.fields["version"].initial = self.instance.version
        else:
            del self.fields["change_reason"]

    def _post_clean(self) -> None:
        # Compare with the stored text before construct_instance() copies the new values in.
        if "change_reason" in self.fields and not self.cleaned_data.get(
            "change_reason"
        ):
            encrypted = getattr(self._meta.model, "ENCRYPTED", ())
            changed = [
                n
                for n in encrypted
                if n in self.cleaned_data
                and self.cleaned_data[n] != getattr(self.instance, n)
            ]
            if changed:
                self.add_error(
                    "change_reason", _("Geef kort aan waarom u deze tekst corrigeert.")
                )
        super()._post_clean()  # type: ignore[misc]

    def data_for_service(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self._meta.fields or ()}


class ClientForm(VersionedForm):
    bsn = forms.CharField(
        label=_("BSN"),
        required=False,
        max_length=11,
        help_text=_("Alleen bij zorg via de Zvw of Wlz. 9 cijfers."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    class Meta:
        model = Client
        fields = [
            "given_names",
            "name_prefix",
            "family_name",
            "date_of_birth",
            "email",
            "phone",
            "address",
            "funding",
            "bsn",
            "id_document_type",
            "id_document_number",
            "id_checked_on",
        ]
        widgets: ClassVar[dict[str, Any]] = {
            "given_names": forms.TextInput(),
            "name_prefix": forms.TextInput(),
            "family_name": forms.TextInput(),
            "date_of_birth": DateInput(),
            "id_checked_on": DateInput(),
            "email": forms.EmailInput(),
            "phone": forms.TextInput(attrs={"inputmode": "tel"}),
            "address": forms.Textarea(attrs={"rows": 2}),
            "id_document_number": forms.TextInput(attrs={"autocomplete": "off"}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"] = forms.EmailField(
            label=_("e-mailadres"), required=False, max_length=254
        )
        self.fields["phone"].max_length = 30  # type: ignore[attr-defined]

    def clean_bsn(self) -> str:
        value = str(self.cleaned_data.get("bsn", "")).strip()
        if value:
            validate_bsn(value)
            value = normalise_bsn(value)
        return value

    def clean_id_checked_on(self) -> datetime.date | None:
        value = self.cleaned_data.get("id_checked_on")
        if value and value > timezone.localdate():
            raise ValidationError(_("De controledatum kan niet in de toekomst liggen."))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        funding = data.get("funding")
        needs_bsn = funding in BSN_FUNDING
        id_fields = ("id_document_type", "id_document_number", "id_checked_on")
        if needs_bsn:
            if not data.get("bsn") and "bsn" not in self.errors:
                self.add_error(
                    "bsn", _("Bij zorg via de Zvw of Wlz is het BSN verplicht.")
                )
            for name in id_fields:
                if not data.get(name) and name not in self.errors:
                    self.add_error(
                        name,
                        _(
                            "Bij zorg via de Zvw of Wlz moet de identiteitscontrole worden vastgelegd."
                        ),
                    )
        elif funding:
            if data.get("bsn"):
                self.add_error(
                    "bsn",
                    _(
                        "Een BSN mag alleen worden vastgelegd als de zorg via de Zvw of Wlz wordt betaald."
                    ),
                )
            for name in id_fields:
                if data.get(name):
                    self.add_error(
                        name,
                        _(
                            "Leg een identiteitsbewijs alleen vast bij zorg via de Zvw of Wlz."
                        ),
                    )
        return data


class DossierForm(VersionedForm):
    class Meta:
        model = Dossier
        fields = [
            "practitioner_name",
            "practitioner_profession",
            "agb_code",
            "legal_basis",
            "circumstances",
            "diagnosis",
            "start_date",
            "end_date",
        ]
        widgets: ClassVar[dict[str, Any]] = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "agb_code": forms.TextInput(attrs={"inputmode": "numeric"}),
            "circumstances": forms.Textarea(attrs={"rows": 4}),
            "diagnosis": forms.Textarea(attrs={"rows": 3}),
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("De einddatum ligt vóór de startdatum."))
        return data


class DossierEntryForm(VersionedForm):
    """A form for one kind of dossier entry; choices are limited to the same dossier."""

    def __init__(self, *args: Any, dossier: Dossier, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.dossier = dossier
        for name in ("goals", "treatments", "treatment"):
            if name in self.fields:
                field = self.fields[name]
                field.queryset = field.queryset.filter(dossier=dossier)  # type: ignore[attr-defined]
                field.label_from_instance = _entry_label  # type: ignore[attr-defined]


def _entry_label(obj: Any) -> str:
    text = str(getattr(obj, "title", "") or getattr(obj, "description", ""))
    return text if len(text) <= 80 else text[:77] + "…"


class GoalForm(DossierEntryForm):
    class Meta:
        model = Goal
        fields = ["kind", "description", "status", "evaluate_on", "evaluation"]
        widgets: ClassVar[dict[str, Any]] = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "evaluate_on": DateInput(),
            "evaluation": forms.Textarea(attrs={"rows": 3}),
        }


class TreatmentForm(DossierEntryForm):
    class Meta:
        model = Treatment
        fields = ["title", "description", "proposed_on", "goals"]
        widgets: ClassVar[dict[str, Any]] = {
            "title": forms.TextInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
            "proposed_on": DateInput(),
            "goals": forms.CheckboxSelectMultiple(),
        }


class DiscussionForm(DossierEntryForm):
    class Meta:
        model = Discussion
        fields = ["held_on", "minutes", "treatments"]
        widgets: ClassVar[dict[str, Any]] = {
            "held_on": DateInput(),
            "minutes": forms.Textarea(attrs={"rows": 4}),
            "treatments": forms.CheckboxSelectMultiple(),
        }


class TreatmentConsentForm(DossierEntryForm):
    class Meta:
        model = TreatmentConsent
        fields = [
            "treatment",
            "scope",
            "given_on",
            "method",
            "given_by",
            "withdrawn_on",
            "withdrawal_note",
        ]
        widgets: ClassVar[dict[str, Any]] = {
            "given_on": DateInput(),
            "withdrawn_on": DateInput(),
            "scope": forms.Textarea(attrs={"rows": 2}),
            "given_by": forms.TextInput(),
            "withdrawal_note": forms.Textarea(attrs={"rows": 2}),
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        given, withdrawn = data.get("given_on"), data.get("withdrawn_on")
        if given and withdrawn and withdrawn < given:
            self.add_error(
                "withdrawn_on",
                _("Intrekken kan niet vóór de datum waarop de toestemming is gegeven."),
            )
        if (
            data.get("withdrawal_note")
            and not withdrawn
            and "withdrawn_on" not in self.errors
        ):
            self.add_error(
                "withdrawn_on",
                _(
                    "Vul de datum van intrekking in bij een toelichting op de intrekking."
                ),
            )
        return data


class CareMomentForm(DossierEntryForm):
    class Meta:
        model = CareMoment
        fields = ["date", "start_time", "end_time", "activities", "results", "goals"]
        widgets: ClassVar[dict[str, Any]] = {
            "date": DateInput(),
            "start_time": TimeInput(),
            "end_time": TimeInput(),
            "activities": forms.Textarea(attrs={"rows": 4}),
            "results": forms.Textarea(attrs={"rows": 3}),
            "goals": forms.CheckboxSelectMultiple(),
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start_time"), data.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", _("De eindtijd moet na de begintijd liggen."))
        return data


class ExperienceForm(DossierEntryForm):
    class Meta:
        model = Experience
        fields = ["recorded_on", "text"]
        widgets: ClassVar[dict[str, Any]] = {
            "recorded_on": DateInput(),
            "text": forms.Textarea(attrs={"rows": 4}),
        }


ALLOWED_UPLOADS = {
    b"%PDF-": "application/pdf",
    b"\xff\xd8\xff": "image/jpeg",
    b"\x89PNG\r\n\x1a\n": "image/png",
}


def sniff_content_type(head: bytes) -> str | None:
    for magic, content_type in ALLOWED_UPLOADS.items():
        if head.startswith(magic):
            return content_type
    return None


class AttachmentForm(SafeTextMixin, forms.Form):
    title = forms.CharField(label=_("titel"), max_length=200)
    file = forms.FileField(label=_("bestand (PDF, JPEG of PNG, maximaal 20 MB)"))

    def clean_file(self) -> Any:

        upload = self.cleaned_data["file"]
        if upload.size > settings.ATTACHMENT_MAX_BYTES:
            raise ValidationError(_("Het bestand is groter dan 20 MB."))
        head = upload.read(16)
        upload.seek(0)
        content_type = sniff_content_type(head)
        if content_type is None:
            raise ValidationError(
                _(
                    "Alleen PDF-, JPEG- en PNG-bestanden zijn toegestaan (gecontroleerd op inhoud)."
                )
            )
        self.cleaned_data["content_type"] = content_type
        return upload


class ClientSearchForm(SafeTextMixin, forms.Form):
    name = forms.CharField(label=_("naam"), required=False, max_length=200)
    date_of_birth = forms.DateField(
        label=_("geboortedatum"), required=False, widget=DateInput()
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("name") and not data.get("date_of_birth") and not self.errors:
            raise ValidationError(_("Vul een naam of geboortedatum in om te zoeken."))
        return data


class ExportForm(forms.Form):
    """What to make, and whether to lock it with a password.

    The lock is a deliberate choice: off by default when clients download their own copy,
    on by default when the zorgverlener prepares a copy to send.
    """

    kind = forms.ChoiceField(
        label=_("wat wilt u maken"),
        choices=ExportKind.choices,
        initial=ExportKind.PDF,
        required=False,
        widget=forms.RadioSelect,
    )
    protect = forms.BooleanField(
        label=_("beveilig het bestand met een wachtwoord"),
        required=False,
        help_text=_(
            "Het wachtwoord ziet u één keer; geef het op een andere manier door dan het bestand."
        ),
    )

    def __init__(self, *args: Any, protect_by_default: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["protect"].initial = protect_by_default

    def clean_kind(self) -> str:
        return self.cleaned_data.get("kind") or ExportKind.PDF
