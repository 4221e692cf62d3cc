"""The second factor: TOTP with backup codes (django-otp). One place for setup and checks."""

from __future__ import annotations

from typing import Any

import django_otp
from django.core.mail import send_mail
from django.http import HttpRequest
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import UserSession
from audit.models import Action, EventType, Outcome
from audit.services import record

BACKUP_CODES = 10


def rotate_session(request: HttpRequest) -> None:
    """A new session id after each authentication step (against session fixation)."""
    old = request.session.session_key
    request.session.cycle_key()
    if old:
        UserSession.objects.filter(session_key=old).update(
            session_key=request.session.session_key
        )


ENROL_SESSION_KEY = "otp_enrol_device"


def start_totp_enrolment(request: HttpRequest) -> TOTPDevice:
    """A new enrolment the signed-in user asked for: any unconfirmed device (and its secret)
    is discarded, and the new one is bound to this session only."""
    TOTPDevice.objects.filter(user=request.user, confirmed=False).delete()
    device = TOTPDevice.objects.create(user=request.user, name="app", confirmed=False)
    request.session[ENROL_SESSION_KEY] = device.pk
    return device


def pending_totp_device(request: HttpRequest) -> TOTPDevice | None:
    """The unconfirmed device this session's enrolment made; never creates one."""
    pk = request.session.get(ENROL_SESSION_KEY)
    if pk is None:
        return None
    return TOTPDevice.objects.filter(pk=pk, user=request.user, confirmed=False).first()


def confirm_totp(
    request: HttpRequest, device: TOTPDevice, token: str
) -> list[str] | None:
    """Confirm a new authenticator app; returns the backup codes, shown once."""
    if not device.verify_token(token):
        _failed(request, EventType.OTP_SETUP_FAILED)
        return None
    device.confirmed = True
    device.save()
    codes = issue_backup_codes(request.user)
    django_otp.login(request, device)
    rotate_session(request)
    record(
        actor=request.user,
        action=Action.CREATE,
        event_type=EventType.OTP_SETUP,
        object_type="totpdevice",
        practice_id=getattr(request.user, "practice_id", None),
    )
    return codes


def issue_backup_codes(user: Any) -> list[str]:
    """Ten new one-time codes; the earlier ones stop working. Shown once."""
    static, _ = StaticDevice.objects.get_or_create(user=user, name="reservecodes")
    static.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODES)]
    static.token_set.bulk_create(
        [StaticToken(device=static, token=code) for code in codes]
    )
    return codes


def backup_codes_left(user: Any) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def has_code_app(user: Any) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def verify(request: HttpRequest, token: str) -> bool:
    user = request.user
    device = django_otp.match_token(user, token)
    if device is None:
        _failed(
            request,
            EventType.OTP_REUSE if _is_reuse(user, token) else EventType.OTP_FAILED,
        )
        return False
    django_otp.login(request, device)
    rotate_session(request)
    record(
        actor=user,
        action=Action.EXECUTE,
        event_type=EventType.OTP_VERIFIED,
        object_type=type(device).__name__.lower(),
        practice_id=getattr(user, "practice_id", None),
    )
    return True


def _is_reuse(user: Any, token: str) -> bool:
    """Was this exactly the code that was last accepted? Then someone is replaying it."""
    if not token.isdigit():
        return False
    for device in TOTPDevice.objects.filter(user=user, confirmed=True):
        if device.last_t < 0:
            continue
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        totp.time = device.t0 + device.last_t * device.step
        if totp.token() == int(token):
            if user.contact_email:
                send_mail(
                    "Inlogcode opnieuw gebruikt",
                    "Iemand probeerde een inlogcode te gebruiken die al gebruikt was. Was u dat niet? "
                    "Wijzig dan uw wachtwoord en neem contact op met uw zorgverlener of beheerder.",
                    None,
                    [user.contact_email],
                    fail_silently=True,  # a mail outage never blocks login
                )
            return True
    return False


def _failed(request: HttpRequest, event_type: EventType) -> None:
    record(
        actor=request.user,
        action=Action.EXECUTE,
        event_type=event_type,
        outcome=Outcome.DENIED,
        object_type="otp",
        practice_id=getattr(request.user, "practice_id", None),
    )
