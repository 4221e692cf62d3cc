from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest
from django.utils import timezone

from accounts.models import stored_username
from audit.middleware import client_ip
from audit.models import AccessEvent


def axes_username(request: HttpRequest | None, credentials: Any) -> str | None:
    """The username axes counts attempts and lockouts under (AXES_USERNAME_CALLABLE): a
    portal account's stored digest, not the name typed (#26), so axes' tables never hold
    a client's username in clear; anyone else's username as typed."""

    if credentials:
        typed = credentials.get("username")
    else:
        typed = getattr(request, "POST", {}).get("username") if request else None
    return stored_username(str(typed)) if typed else typed


class AccountBackend(ModelBackend):
    """Password login with two extra refusals:

    - an inspector logs in, and keeps a session, only inside the mandate's window;
    - an account with ACCOUNT_FAILURES_PER_HOUR failed logins in the last hour (from any
      address) is refused even with the right password, until the hour has passed; except
      from an address this account has signed in from before (so the cap cannot be turned
      against its owner, ASVS 5.0 6.1.1). Only failures whose password was actually checked
      count (attempts axes refused are not), and a password reset or change starts the
      count afresh.
    """

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any:
        if request is not None:
            # Reached only when axes let the attempt through (AxesBackend comes first):
            # accounts.signals counts only such attempts against the account.
            request.password_checked = True  # type: ignore[attr-defined]
        user = super().authenticate(
            request, username=username, password=password, **kwargs
        )
        if user is None and username:
            return None
        if (
            user is not None
            and _recent_failures(user) >= settings.ACCOUNT_FAILURES_PER_HOUR
            and not _known_address(user, request)
        ):
            return None
        return user

    def user_can_authenticate(self, user: Any) -> bool:
        if not super().user_can_authenticate(user):
            return False
        if getattr(user, "is_inspector", False):
            # The mandate (consent.InspectorMandate), reached by its one-to-one accessor:
            # accounts sits below consent and imports nothing of it.
            mandate = getattr(user, "mandate", None)
            return mandate is not None and mandate.is_active()
        return True


def _recent_failures(user: Any) -> int:

    since = timezone.now() - datetime.timedelta(hours=1)
    renewed = (
        AccessEvent.objects.filter(
            actor_id=user.pk,
            event_type__in=("password.reset", "password.change"),
            occurred_at__gte=since,
        )
        .order_by("-occurred_at")
        .values_list("occurred_at", flat=True)
        .first()
    )
    if renewed is not None:
        since = renewed
    return AccessEvent.objects.filter(
        event_type="login.failed", object_id=str(user.public_id), occurred_at__gte=since
    ).count()


def _known_address(user: Any, request: HttpRequest | None) -> bool:
    """True when this account has signed in successfully from the request's address before."""
    if request is None:
        return False

    ip = client_ip(request)
    if not ip:
        return False
    return AccessEvent.objects.filter(
        actor_id=user.pk, event_type="login", source_ip=ip
    ).exists()
