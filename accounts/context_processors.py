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
        from dossiers.access import acting_for_dossier

        context["own_dossier_id"], context["own_practice_id"] = acting_for_dossier(
            request
        )
    if user is not None and getattr(user, "is_client", False):
        from audit.models import Basis
        from dossiers.access import SEVERAL

        access = getattr(request, "portal_access", None)
        if access is not None and access.basis == Basis.REPRESENTATIVE:
            context["acting_for"] = access.client  # "U handelt namens …" in the menu
        context["portal_may_choose"] = request.session.get(SEVERAL, False)
    return context
