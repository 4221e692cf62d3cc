"""Password reset: the same answer in the same time for every address, links that leave
the URL on their first visit, work once and one hour (PASSWORD_RESET_TIMEOUT).

- The request page only checks the form and answers; looking the address up, making the
  token and sending the mail happen after the response (ecd.mail), within the hourly
  limits per address and per account (accounts.mail_limits).
- The link's first visit keeps uid and token in the session and redirects to a page
  without them (like Django's own view, but the uid leaves the URL too).
- A used link is remembered (as a hash) so a second visit says it was already used.
"""

from __future__ import annotations

import datetime
import hashlib
from typing import Any

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.encoding import force_str
from django.utils.http import base36_to_int, urlsafe_base64_decode

from accounts.models import SpentResetLink, User

SESSION_KEY = "password_reset"
VALID, USED, EXPIRED, UNKNOWN = "valid", "used", "expired", "unknown"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def remember(request: HttpRequest, uidb64: str, token: str) -> None:
    request.session[SESSION_KEY] = [uidb64, token]


def link_state(request: HttpRequest) -> tuple[User | None, str]:
    """The account the remembered link is for, and whether it still works."""
    uidb64, token = request.session.get(SESSION_KEY) or ("", "")
    if not token:
        return None, UNKNOWN
    if SpentResetLink.objects.filter(token_hash=_hash(token)).exists():
        return None, USED
    user = _user(uidb64)
    if user is not None and default_token_generator.check_token(user, token):
        return user, VALID
    return None, EXPIRED if _genuine_but_old(user, token) else UNKNOWN


def spend(request: HttpRequest) -> bool:
    """Use the remembered link up. False when another request did so a moment ago."""
    _uidb64, token = request.session.pop(SESSION_KEY, None) or ("", "")
    now = timezone.now()
    try:
        with transaction.atomic():
            SpentResetLink.objects.create(token_hash=_hash(token), used_at=now)
    except IntegrityError:
        return False
    # A link older than its lifetime fails on its age anyway; keep a day for the wording.
    SpentResetLink.objects.filter(used_at__lt=now - datetime.timedelta(days=1)).delete()
    return True


def _user(uidb64: str) -> User | None:
    try:
        pk = force_str(urlsafe_base64_decode(uidb64))
        return User._default_manager.filter(pk=pk, is_active=True).first()
    except (TypeError, ValueError, OverflowError):
        return None


def _genuine_but_old(user: User | None, token: str) -> bool:
    """A link this ECD made for this account, only past its hour (not made up, and not
    ended by a password set since)."""
    generator: Any = default_token_generator
    try:
        made = base36_to_int(token.split("-", 1)[0])
    except ValueError:
        return False
    if user is None:
        return False
    genuine = any(
        constant_time_compare(
            generator._make_token_with_timestamp(user, made, secret), token
        )
        for secret in [generator.secret, *generator.secret_fallbacks]
    )
    age = generator._num_seconds(generator._now()) - made
    return genuine and age > settings.PASSWORD_RESET_TIMEOUT
