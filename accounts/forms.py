from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django import forms
from django.contrib.auth.forms import PasswordResetForm
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from accounts import mail_limits
from accounts.models import User, email_index, portal_login_name
from accounts.otp import normalise
from audit.models import Action, EventType, Outcome
from audit.services import record


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("code"),
        max_length=32,
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

        return normalise(self.cleaned_data["token"])


class NewUsernameField(forms.CharField):
    """The username of an account about to be made (inspector, portal client): not taken yet."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_length=150, **kwargs)
        self.validators.append(
            RegexValidator(
                r"\A[A-Za-z0-9._-]+\Z",
                _(
                    "Een gebruikersnaam bestaat alleen uit letters, cijfers en de tekens . _ -"
                ),
                code="invalid_username",
            )
        )

    def validate(self, value: Any) -> None:
        super().validate(value)

        taken = [value, portal_login_name(value)] if value else []
        if taken and User.objects.filter(username__in=taken).exists():
            raise ValidationError(_("Deze gebruikersnaam is al in gebruik."))


class PasswordResetByIndexForm(PasswordResetForm):
    """Password reset that finds the account through the e-mail's blind index (#26):
    no clear e-mail column exists to search. `save` runs after the response
    (accounts.views.PasswordResetView); each mail counts against the hourly limits."""

    email = forms.EmailField(
        label=_("e-mailadres"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:

        user = context["user"]
        if not mail_limits.may_send(mail_limits.RESET, to_email, str(user.public_id)):
            record(
                actor=None,
                action=Action.EXECUTE,
                event_type=EventType.PASSWORD_RESET_LIMITED,
                outcome=Outcome.DENIED,
                practice_id=user.practice_id,
                object_type="user",
                object_id=user.public_id,
            )
            return
        super().send_mail(
            subject_template_name,
            email_template_name,
            context,
            from_email,
            to_email,
            html_email_template_name,
        )

    def get_users(self, email: str) -> Iterator[Any]:

        candidates = User._default_manager.filter(
            email_index=email_index(email), is_active=True
        )
        for user in candidates:
            if user.has_usable_password() and (
                user.contact_email.strip().lower() == email.strip().lower()
            ):
                yield user
