"""The second factor: TOTP with backup codes (django-otp). One place for setup and checks."""

from __future__ import annotations

import secrets
import time
from typing import Any

import django_otp
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import UserSession
from audit.models import Action, EventType, Outcome
from audit.services import record
from ecd.mail import send_after_response

BACKUP_CODES = 10
# Backup codes: only the digits 2-9, so nothing looks alike (no 0/O, 1/l/I) and a phone's
# number pad (the code field's inputmode) types them; 16 digits in groups of four, 48 bits
# each (NIST SP 800-63B asks 20 for a rate-limited look-up secret).
CODE_ALPHABET = "23456789"
CODE_GROUPS, GROUP_LENGTH = 4, 4
CODES_SESSION_KEY = "backup_codes"
CODES_DOWNLOAD_SECONDS = 10 * 60  # the .txt download works this long after making them


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
    codes = new_backup_codes(request)
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


def new_backup_codes(request: HttpRequest) -> list[str]:
    """A fresh set of backup codes (the old set stops working), grouped for reading.
    Kept in this session for a few minutes so its owner can download them once more."""
    static, _created = StaticDevice.objects.get_or_create(
        user=request.user, name="reservecodes"
    )
    static.token_set.all().delete()
    raw = [
        "".join(
            secrets.choice(CODE_ALPHABET) for _ in range(CODE_GROUPS * GROUP_LENGTH)
        )
        for _ in range(BACKUP_CODES)
    ]
    static.token_set.bulk_create(
        [StaticToken(device=static, token=code) for code in raw]
    )
    codes = [grouped(code) for code in raw]
    request.session[CODES_SESSION_KEY] = {"codes": codes, "at": time.time()}
    return codes


def grouped(code: str) -> str:
    return "-".join(
        code[start : start + GROUP_LENGTH]
        for start in range(0, len(code), GROUP_LENGTH)
    )


def normalise(token: str) -> str:
    """What a person typed, as stored: no spaces or dashes, lower case."""
    return "".join(token.split()).replace("-", "").lower()


def recent_backup_codes(request: HttpRequest) -> list[str] | None:
    """The codes this session made in the last few minutes, else None."""
    kept = request.session.get(CODES_SESSION_KEY)
    if not kept or time.time() - kept.get("at", 0) > CODES_DOWNLOAD_SECONDS:
        request.session.pop(CODES_SESSION_KEY, None)
        return None
    return list(kept["codes"])


def backup_codes_left(user: Any) -> int:
    return int(
        StaticToken.objects.filter(device__user=user, device__confirmed=True).count()
    )


def has_code_app(user: Any) -> bool:
    return bool(TOTPDevice.objects.filter(user=user, confirmed=True).exists())


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
            if (
                user.contact_email
            ):  # after the response: a mail outage never blocks login
                send_after_response(
                    _("Inlogcode opnieuw gebruikt"),
                    _(
                        "Iemand probeerde een inlogcode te gebruiken die al gebruikt was. Was u "
                        "dat niet? Wijzig dan uw wachtwoord en neem contact op met uw "
                        "zorgverlener of beheerder."
                    ),
                    [user.contact_email],
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
