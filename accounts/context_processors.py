from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def session_limits(request: HttpRequest) -> dict[str, Any]:
    context: dict[str, Any] = {"session_idle_seconds": settings.SESSION_IDLE_SECONDS}
    user = getattr(request, "user", None)
    if hasattr(request, "own_dossier_id"):  # the portal view found it already
        context["own_dossier_id"] = request.own_dossier_id
        context["own_practice_id"] = getattr(request, "own_practice_id", None)
    elif user is not None and getattr(user, "is_client", False):
        from dossiers.models import Dossier

        context["own_dossier_id"], context["own_practice_id"] = (
            Dossier.objects.filter(client__portal_user_id=user.pk)
            .values_list("pk", "practice_id")
            .first()
        ) or (None, None)
    if context.get("own_practice_id"):
        from practice.selectors import practice_contact

        context["own_practice"] = practice_contact(context["own_practice_id"])
    return context
