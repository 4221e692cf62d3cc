"""Logins, failed logins and logouts go into the access log."""

from __future__ import annotations

import time
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import (
    user_logged_in,
    user_logged_out,
    user_login_failed,
)
from django.dispatch import receiver

from accounts.models import UserSession, portal_login_name
from audit.middleware import client_ip
from audit.models import Action, EventType, Outcome
from audit.services import record


@receiver(user_logged_in)
def on_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    record(
        actor=user,
        action=Action.EXECUTE,
        event_type=EventType.LOGIN,
        practice_id=user.practice_id,
    )
    if request is None or not hasattr(request, "session"):
        return

    request.session["login_at"] = time.time()
    if request.session.session_key is None:
        request.session.save()
    UserSession.objects.update_or_create(
        session_key=request.session.session_key,
        defaults={
            "user": user,
            "ip_address": client_ip(request),
            "user_agent": request.META.get("HTTP_USER_AGENT", "")[:200],
        },
    )


@receiver(user_logged_out)
def on_logout(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        record(
            actor=user,
            action=Action.EXECUTE,
            event_type=EventType.LOGOUT,
            practice_id=user.practice_id,
        )


@receiver(user_login_failed)
def on_login_failed(
    sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any
) -> None:
    # The username is kept only when it names a real account; a typed password never is.
    # An attempt axes refused never had its password checked: it is logged, but under its
    # own type, so it does not count towards the per-account cap (no lockout as a weapon).
    refused = request is not None and not getattr(request, "password_checked", False)
    typed = str(credentials.get("username", ""))
    user = (
        get_user_model()
        .objects.filter(username__in=[typed, portal_login_name(typed)])
        .first()
    )
    record(
        actor=None,
        action=Action.EXECUTE,
        event_type=EventType.LOGIN_REFUSED if refused else EventType.LOGIN_FAILED,
        outcome=Outcome.DENIED,
        practice_id=user.practice_id if user else None,
        object_type="user",
        object_id=user.public_id if user else "",
    )
