from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from audit.models import Basis
from dossiers.access import SEVERAL, acting_for_dossier
from practice.selectors import practice_contact


def own_dossier(request: HttpRequest) -> dict[str, Any]:
    """For the portal header and menu (afschrift, privacy statement, the practice's name and
    phone number, "U handelt namens …"): the dossier and practice the portal works on. A
    portal view found them already (`dossiers.access.own_record_for`); other pages look
    them up, as a link only (the page behind it decides access)."""
    user = getattr(request, "user", None)
    if user is None or not getattr(user, "is_client", False):
        return {}
    if hasattr(request, "own_dossier_id"):
        dossier_id = request.own_dossier_id
        practice_id = getattr(request, "own_practice_id", None)
    else:
        dossier_id, practice_id = acting_for_dossier(request)
    context: dict[str, Any] = {
        "own_dossier_id": dossier_id,
        "own_practice_id": practice_id,
        "own_practice": practice_contact(practice_id) if practice_id else None,
        "portal_may_choose": request.session.get(SEVERAL, False),
    }
    access = getattr(request, "portal_access", None)
    if access is not None and access.basis == Basis.REPRESENTATIVE:
        context["acting_for"] = access.client
    return context
