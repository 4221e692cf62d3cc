from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from dossiers.models import Dossier
from practice.selectors import practice_contact


def own_dossier(request: HttpRequest) -> dict[str, Any]:
    """For the portal header and menu (afschrift, privacy statement, the practice's name and
    phone number): the signed-in client's dossier and practice. A portal view found them already (`dossiers.access.own_record_for`)."""
    if hasattr(request, "own_dossier_id"):
        practice_id = getattr(request, "own_practice_id", None)
        return {
            "own_dossier_id": request.own_dossier_id,
            "own_practice_id": practice_id,
            "own_practice": practice_contact(practice_id) if practice_id else None,
        }
    user = getattr(request, "user", None)
    if user is None or not getattr(user, "is_client", False):
        return {}
    found = (
        Dossier.objects.filter(client__portal_user_id=user.pk)
        .values_list("pk", "practice_id")
        .first()
    )
    own_dossier_id, own_practice_id = found or (None, None)
    return {
        "own_dossier_id": own_dossier_id,
        "own_practice_id": own_practice_id,
        "own_practice": practice_contact(own_practice_id) if own_practice_id else None,
    }
