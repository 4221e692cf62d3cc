"""Reads that several views share (the zorgverlener's dossier page and the portal's)."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.db.models import Prefetch, QuerySet

from dossiers.access import Access
from dossiers.completeness import missing_elements
from dossiers.models import (
    Attachment,
    CareMoment,
    Discussion,
    Experience,
    Goal,
    OwnStatement,
    Treatment,
)

CARE_MOMENTS_PER_PAGE = 25


def dossier_page(access: Access, page_number: Any) -> dict[str, Any]:
    """Everything the dossier page shows, in a fixed number of queries whatever the size."""
    dossier = access.dossier
    goals = list(Goal.objects.filter(dossier=dossier))
    treatments = list(
        Treatment.objects.filter(dossier=dossier).prefetch_related("consents", "goals")
    )
    discussions = list(
        Discussion.objects.filter(dossier=dossier).prefetch_related("treatments")
    )
    experiences = list(Experience.objects.filter(dossier=dossier))
    attachments = list(Attachment.objects.filter(dossier=dossier).defer("content"))
    statements = list(OwnStatement.objects.filter(dossier=dossier))
    moments: QuerySet[CareMoment] = CareMoment.objects.filter(
        dossier=dossier
    ).prefetch_related(
        Prefetch(
            "goals",
            queryset=Goal.objects.only("id", "dossier_id", "key_ref", "description"),
        )
    )
    page = Paginator(moments, CARE_MOMENTS_PER_PAGE).get_page(page_number)
    missing = missing_elements(
        client=access.client,
        dossier=dossier,
        goals=goals,
        treatments=treatments,
        discussions=discussions,
        experiences=experiences,
        care_moment_count=page.paginator.count,
    )
    return {
        "access": access,
        "client": access.client,
        "dossier": dossier,
        "goals": goals,
        "treatments": treatments,
        "discussions": discussions,
        "experiences": experiences,
        "attachments": attachments,
        "statements": statements,
        "page": page,
        "missing": missing,
    }
