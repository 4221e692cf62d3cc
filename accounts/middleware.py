from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.contrib.auth import logout
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django_otp import devices_for_user

from audit.models import Action, EventType, Outcome
from audit.services import record

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
ViewT = TypeVar("ViewT", bound=Callable[..., Any])


def changes_nothing(view: ViewT) -> ViewT:
    """Marks a view whose POST only reads (a search whose terms must stay out of the URL)."""
    view.changes_nothing = True  # type: ignore[attr-defined]
    return view


class ReadOnlyInspectorMiddleware:
    """An inspector changes nothing: every state-changing request is refused here, whatever the URL."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            getattr(user, "is_inspector", False)
            and request.method not in SAFE_METHODS
            and not _changes_nothing(request.path_info)
        ):
            record(
                actor=user,
                action=Action.UPDATE,
                event_type=EventType.ACCESS_DENIED,
                outcome=Outcome.DENIED,
                object_type="request",
                detail=request.method or "",
                checks={"autorisatie": "geweigerd: inspecteur leest alleen"},
            )
            raise PermissionDenied
        return self.get_response(request)


def _changes_nothing(path: str) -> bool:
    if path == reverse("accounts:logout"):
        return True
    try:
        match = resolve(path)
    except Resolver404:
        return False
    # Reads, and the steps of signing in itself (second factor, password reset), are allowed.
    return bool(
        getattr(match.func, "changes_nothing", False)
        or getattr(match.func, "second_factor_not_required", False)
    )


def _now() -> float:
    return time.time()


class SessionLimitsMiddleware:
    """Idle timeout (15 min) and absolute lifetime (12 h); Django has neither on its own."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated:
            now = _now()
            session = request.session
            started = session.setdefault("login_at", now)
            last = session.get("last_seen", now)
            if (
                now - last > settings.SESSION_IDLE_SECONDS
                or now - started > settings.SESSION_ABSOLUTE_SECONDS
            ):
                idle = now - last > settings.SESSION_IDLE_SECONDS
                record(
                    actor=user,
                    action=Action.EXECUTE,
                    event_type=EventType.SESSION_EXPIRED_IDLE
                    if idle
                    else EventType.SESSION_EXPIRED_ABSOLUTE,
                    practice_id=getattr(user, "practice_id", None),
                )
                logout(request)
                return redirect(f"{reverse('accounts:login')}?verlopen=1")
            if (
                now - last >= 30 or "last_seen" not in session
            ):  # saves a write on every click
                session["last_seen"] = now
        return self.get_response(request)


def second_factor_not_required(view: ViewT) -> ViewT:
    """Marks the few views reachable between the password step and the second factor."""
    view.second_factor_not_required = True  # type: ignore[attr-defined]
    return view


class SecondFactorMiddleware:
    """No page of the application without the second factor, for every role."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., HttpResponse],
        *args: object,
    ) -> HttpResponse | None:
        user = request.user
        if not user.is_authenticated or user.is_verified():  # type: ignore[attr-defined]
            return None
        if (
            getattr(view_func, "second_factor_not_required", False)
            or getattr(view_func, "login_required", True) is False
        ):
            return None

        has_device = any(True for _ in devices_for_user(user, confirmed=True))
        return redirect("accounts:otp_verify" if has_device else "accounts:otp_setup")
