"""Passkeys (WebAuthn, django-otp-webauthn): the recommended second factor, after the password.

The library does the ceremonies; this module adds what the ECD needs around them: the RP ID
and origins from settings, the same session rotation and access-log events as the code
second factor (accounts.otp), Dutch messages for the library's JavaScript, and the rule that
a passkey is only ever a second factor (passwordless login is off in settings).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.middleware import csrf
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.i18n import JavaScriptCatalog
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn import exceptions
from django_otp_webauthn import views as webauthn_views
from django_otp_webauthn.helpers import WebAuthnHelper
from django_otp_webauthn.models import WebAuthnCredential

from accounts.middleware import second_factor_not_required
from accounts.otp import has_code_app, rotate_session
from audit.models import Action, EventType, Outcome
from audit.services import record

MAX_PASSKEYS = (
    10  # per account; enough for every phone, laptop and spare key one person has
)


def _host(request: HttpRequest) -> str:
    """The request's host without port (already checked against ALLOWED_HOSTS)."""
    host = request.get_host()
    if host.startswith("["):  # an IPv6 address: never a passkey domain
        return host
    return host.rsplit(":", 1)[0]


def _under_rp_id(host: str) -> bool:
    rp_id = settings.ECD_WEBAUTHN_RP_ID
    return host == rp_id or host.endswith("." + rp_id)


def available(request: HttpRequest) -> bool:
    """Can a browser use passkeys on this address? Only on the RP ID's domain (never on an IP
    address such as 127.0.0.1), and only over https or on localhost (a browser's rule)."""
    host = _host(request)
    secure = request.is_secure() or host == "localhost" or host.endswith(".localhost")
    return secure and _under_rp_id(host)


def has_passkey(user: Any) -> bool:
    return bool(WebAuthnCredential.objects.filter(user=user, confirmed=True).exists())


def passkeys_of(user: Any) -> list[WebAuthnCredential]:
    return list(
        WebAuthnCredential.objects.filter(user=user, confirmed=True).order_by(
            "created_at"
        )
    )


def remove(request: HttpRequest, passkey_id: int) -> bool:
    """Remove one of the user's own passkeys (a lost phone), unless it is their last second
    factor next to the password: then the password alone would let anyone set up a new one."""

    user = request.user
    practice_id = getattr(user, "practice_id", None)
    passkey = WebAuthnCredential.objects.filter(pk=passkey_id, user=user).first()
    if passkey is None:
        record(
            actor=user,
            action=Action.DELETE,
            event_type=EventType.OTP_REMOVED,
            outcome=Outcome.DENIED,
            object_type="webauthncredential",
            practice_id=practice_id,
        )
        raise Http404
    others = WebAuthnCredential.objects.filter(user=user, confirmed=True).exclude(
        pk=passkey.pk
    )
    if not others.exists() and not has_code_app(user):
        return False
    passkey.delete()
    record(
        actor=user,
        action=Action.DELETE,
        event_type=EventType.OTP_REMOVED,
        object_type="webauthncredential",
        practice_id=practice_id,
    )
    return True


class PasskeyHelper(WebAuthnHelper):
    """The library's helper with the ECD's origins and a user name without personal data."""

    def get_allowed_origins(self) -> list[str]:
        origins = list(settings.OTP_WEBAUTHN_ALLOWED_ORIGINS)
        own = f"{self.request.scheme}://{self.request.get_host()}"
        if _under_rp_id(_host(self.request)) and own not in origins:
            origins.append(own)
        return origins

    def get_credential_name(self, user: Any) -> str:
        return str(user.get_username())

    def get_credential_display_name(self, user: Any) -> str:
        # Shown by the phone when choosing a passkey; the username only, no name of a client.
        return str(user.get_username())


def script_config(request: HttpRequest) -> dict[str, Any]:
    """What the library's JavaScript reads from the page (json_script, not executed)."""

    return {
        "autocompleteLoginFieldSelector": None,
        "nextFieldSelector": "input[name='next']",
        "csrfToken": csrf.get_token(request),
        "beginRegistrationUrl": reverse("accounts:passkey_register_begin"),
        "completeRegistrationUrl": reverse("accounts:passkey_register_complete"),
        "beginAuthenticationUrl": reverse("accounts:passkey_verify_begin"),
        "completeAuthenticationUrl": reverse("accounts:passkey_verify_complete"),
    }


# What the library's JavaScript says, in plain Dutch (its own translation says "je").
MESSAGES = {
    "Register a Passkey": gettext_lazy("Inloggen met uw telefoon instellen"),
    "Registering...": gettext_lazy("Even geduld..."),
    "Finishing registration...": gettext_lazy("Bijna klaar..."),
    "Registration successful!": gettext_lazy("Gelukt."),
    "Registration aborted.": gettext_lazy("Gestopt. Probeer het opnieuw."),
    "Registration aborted or not allowed.": gettext_lazy(
        "Gestopt of niet toegestaan. Probeer het opnieuw, of kies hieronder een code-app."
    ),
    "Registration failed. You most likely already have a Passkey registered for this site.": gettext_lazy(
        "Dit apparaat is al ingesteld om mee in te loggen."
    ),
    "Registration failed. A technical problem occurred that prevents you from registering a Passkey for this site.": gettext_lazy(
        "Dat lukt niet op dit adres. Kies hieronder een code-app."
    ),
    "Registration failed. An unknown error occurred.": gettext_lazy(
        "Dat lukte niet. Probeer het opnieuw, of kies hieronder een code-app."
    ),
    "Registration failed. Unable to fetch registration options from server.": gettext_lazy(
        "Dat lukte niet. Laad de pagina opnieuw en probeer het nog eens."
    ),
    "Registration failed. The server was unable to verify this passkey.": gettext_lazy(
        "Dat lukte niet. Laad de pagina opnieuw en probeer het nog eens."
    ),
    "Registration failed. A server error occurred.": gettext_lazy(
        "Dat lukte niet. Laad de pagina opnieuw en probeer het nog eens."
    ),
    "An error occurred during registration.": gettext_lazy(
        "Dat lukte niet. Laad de pagina opnieuw en probeer het nog eens."
    ),
    "Verify with Passkey": gettext_lazy("Inloggen met uw telefoon"),
    "Verifying...": gettext_lazy("Even geduld..."),
    "Finishing verification...": gettext_lazy("Bijna klaar..."),
    "Verification successful!": gettext_lazy("Gelukt."),
    "Verification aborted.": gettext_lazy("Gestopt. Probeer het opnieuw."),
    "Verification canceled or not allowed.": gettext_lazy(
        "Gestopt of niet toegestaan. Probeer het opnieuw, of vul hieronder een code in."
    ),
    "Verification failed. Could not retrieve parameters from the server.": gettext_lazy(
        "Dat lukte niet. Laad de pagina opnieuw en probeer het nog eens."
    ),
    "Verification failed. An unknown error occurred.": gettext_lazy(
        "Dat lukte niet. Probeer het opnieuw, of vul hieronder een code in."
    ),
    "Verification failed. An unknown server error occurred.": gettext_lazy(
        "Dat lukte niet. Laad de pagina opnieuw en probeer het nog eens."
    ),
    "Verification failed. A server error occurred.": gettext_lazy(
        "Dat lukte niet. Laad de pagina opnieuw en probeer het nog eens."
    ),
    "An error occurred during verification.": gettext_lazy(
        "Dat lukte niet. Probeer het opnieuw, of vul hieronder een code in."
    ),
}


@method_decorator([login_not_required, second_factor_not_required], name="dispatch")
class PasskeyMessagesView(JavaScriptCatalog):
    """The texts of the library's JavaScript, served as a script from our own origin (CSP)."""

    packages = ["django_otp_webauthn"]

    def get_catalog(self) -> dict[str, Any]:
        catalog = super().get_catalog()
        catalog.update({english: str(dutch) for english, dutch in MESSAGES.items()})
        return catalog


class _Logged:
    """The ECD's side of each ceremony: a refusal is logged and answered in Dutch."""

    event_failed = EventType.OTP_FAILED
    request: HttpRequest

    def handle_exception(self, exc: Exception) -> HttpResponse:
        if not isinstance(exc, exceptions.OTPWebAuthnApiError):
            raise exc
        user = self.request.user
        if user.is_authenticated:
            record(
                actor=user,
                action=Action.EXECUTE,
                event_type=self.event_failed,
                outcome=Outcome.DENIED,
                object_type="passkey",
                detail=exc.code,
                practice_id=getattr(user, "practice_id", None),
            )
        return JsonResponse(
            {"detail": _dutch(exc), "code": exc.code}, status=exc.status_code
        )


def _dutch(exc: exceptions.OTPWebAuthnApiError) -> str:
    if isinstance(exc, exceptions.NotVerified):
        return _(
            "Log eerst in met uw huidige tweede stap. Daarna kunt u dit toevoegen."
        )
    if isinstance(exc, TooMany):
        return str(exc.detail)
    if isinstance(
        exc, exceptions.CredentialNotFound | exceptions.CredentialUserMismatch
    ):
        return _(
            "Dit apparaat hoort niet bij uw account. Kies een ander apparaat of vul een code in."
        )
    return _("Dat lukte niet. Laad de pagina opnieuw en probeer het nog eens.")


class TooMany(exceptions.OTPWebAuthnApiError):
    status_code = 400
    default_code = "too_many_passkeys"


class _Registration(_Logged):
    event_failed = EventType.OTP_SETUP_FAILED

    def check_can_register(self) -> None:
        user = self.request.user
        if WebAuthnCredential.objects.filter(user=user).count() >= MAX_PASSKEYS:
            raise TooMany(
                detail=_(
                    "U heeft al %(count)s apparaten ingesteld. Verwijder er eerst een."
                )
                % {"count": MAX_PASSKEYS}
            )


@method_decorator(second_factor_not_required, name="dispatch")
class RegisterBeginView(_Registration, webauthn_views.BeginCredentialRegistrationView):
    """Start a passkey: only for a signed-in user (password step done in this session) who
    pressed the button; one with a second factor already must have used it first."""

    def post(self, *args: Any, **kwargs: Any) -> HttpResponse:
        # A new enrolment: an unconfirmed code-app secret from an earlier try goes.
        TOTPDevice.objects.filter(user=self.request.user, confirmed=False).delete()
        response: HttpResponse = super().post(*args, **kwargs)
        return response


@method_decorator(second_factor_not_required, name="dispatch")
class RegisterCompleteView(
    _Registration, webauthn_views.CompleteCredentialRegistrationView
):
    def post(self, *args: Any, **kwargs: Any) -> HttpResponse:
        first = not self.request.user.is_verified()  # type: ignore[union-attr]
        response: HttpResponse = super().post(*args, **kwargs)
        user = self.request.user
        rotate_session(self.request)
        record(
            actor=user,
            action=Action.CREATE,
            event_type=EventType.OTP_SETUP,
            object_type="webauthncredential",
            practice_id=getattr(user, "practice_id", None),
        )
        if first:
            messages.success(
                self.request,
                _(
                    "Gelukt. Voortaan logt u in met uw wachtwoord en daarna met uw telefoon. "
                    "Tip: maak ook reservecodes, voor als u uw telefoon kwijtraakt. Klik "
                    "daarvoor bovenaan op uw naam en dan op Inlogmethoden."
                ),
            )
        else:
            messages.success(self.request, _("Het apparaat is toegevoegd."))
        return response


@method_decorator(second_factor_not_required, name="dispatch")
class VerifyBeginView(_Logged, webauthn_views.BeginCredentialAuthenticationView):
    """The second step with a passkey; only after the password (passwordless is off)."""

    def check_can_authenticate(self) -> None:
        if not self.request.user.is_authenticated:
            raise exceptions.NotAuthenticated()
        super().check_can_authenticate()


@method_decorator(second_factor_not_required, name="dispatch")
class VerifyCompleteView(_Logged, webauthn_views.CompleteCredentialAuthenticationView):
    def check_can_authenticate(self) -> None:
        if not self.request.user.is_authenticated:
            raise exceptions.NotAuthenticated()
        super().check_can_authenticate()

    def get_success_url(self) -> str:
        return self.get_redirect_url() or reverse("home")

    def complete_auth(self, device: Any) -> Any:
        super().complete_auth(device)
        rotate_session(self.request)
        record(
            actor=self.request.user,
            action=Action.EXECUTE,
            event_type=EventType.OTP_VERIFIED,
            object_type="webauthncredential",
            practice_id=getattr(self.request.user, "practice_id", None),
        )
