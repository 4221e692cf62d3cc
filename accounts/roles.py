"""Role checks for views. Object access is decided in dossiers.access, not here."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from accounts.models import Role
from audit.models import Action, EventType, Outcome
from audit.services import record

View = Callable[..., HttpResponse]


def roles_required(*roles: str) -> Callable[[View], View]:
    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if getattr(request.user, "role", None) not in roles:
                record(
                    actor=request.user,
                    action=Action.EXECUTE,
                    event_type=EventType.ACCESS_DENIED,
                    outcome=Outcome.DENIED,
                    practice_id=getattr(request.user, "practice_id", None),
                    object_type="view",
                    detail=view.__name__,
                    checks={"autorisatie": "geweigerd: rol"},
                )
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


caregiver_required = roles_required(Role.CAREGIVER)
