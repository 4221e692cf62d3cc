from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.utils.translation import gettext_lazy as _

from dossiers.lifecycle import DestructionGround
from ecd.forms import DateInput, SafeTextMixin
from portal.models import RequestKind, RequestStatus, RightsRequest


class RetentionForm(SafeTextMixin, forms.Form):
    # 20 years from the last change, and longer where good care asks for it.
    date_future_years: ClassVar[dict[str, int]] = {"until": 100}

    until = forms.DateField(label=_("langer bewaren tot"), widget=DateInput())
    reason = forms.CharField(
        label=_("reden"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Zoveel langer als redelijkerwijs uit de zorg van een goed hulpverlener voortvloeit."
        ),
    )


class RestrictionAction:
    RESTRICT = "beperken"
    LIFT = "opheffen"
    CHOICES = ((RESTRICT, _("verwerking beperken")), (LIFT, _("beperking opheffen")))


class RestrictionForm(SafeTextMixin, forms.Form):
    # The state the user asks for, not a toggle: a repeated POST cannot undo the first.
    action = forms.ChoiceField(
        choices=RestrictionAction.CHOICES,
        widget=forms.HiddenInput,
        error_messages={"required": _("Kies beperken of beperking opheffen.")},
    )
    reason = forms.CharField(
        label=_("reden"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Bij opheffen: waarom de beperking niet meer nodig is."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        # A hidden field's error would not be shown next to it: show it above the form.
        missing = self.errors.pop("action", None)
        if missing:
            self.add_error(None, missing)
        return data


class DestroyForm(SafeTextMixin, forms.Form):
    ground = forms.ChoiceField(
        label=_("grond"), choices=DestructionGround.CHOICES, widget=forms.RadioSelect
    )
    request_ref = forms.ModelChoiceField(
        label=_("toegekend verzoek van de cliënt"),
        required=False,
        queryset=RightsRequest.objects.none(),
    )
    note = forms.CharField(label=_("toelichting"), max_length=500, required=False)
    confirm = forms.CharField(label=_("typ VERNIETIG om te bevestigen"), max_length=20)

    def __init__(self, *args: Any, client: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["request_ref"].queryset = RightsRequest.objects.filter(  # type: ignore[attr-defined]
            client=client,
            kind=RequestKind.DESTRUCTION,
            status__in=[RequestStatus.GRANTED, RequestStatus.PARTLY],
        )

    def clean_confirm(self) -> str:
        value = str(self.cleaned_data["confirm"]).strip()
        if value != "VERNIETIG":
            raise forms.ValidationError(_("Typ precies VERNIETIG (in hoofdletters)."))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("ground") == DestructionGround.CLIENT_REQUEST and not data.get(
            "request_ref"
        ):
            self.add_error(
                "request_ref", _("Kies het toegekende verzoek van de cliënt.")
            )
        return data
