"""Reads that several views share (the zorgverlener's dossier page and the portal's)."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator

from dossiers.access import Access
from dossiers.completeness import missing_elements
from dossiers.entries import KINDS
from dossiers.models import (
    Attachment,
    OwnStatement,
)

CARE_MOMENTS_PER_PAGE = 25


def dossier_page(access: Access, page_number: Any) -> dict[str, Any]:
    """Everything the dossier page shows, in a fixed number of queries whatever the size."""
    dossier = access.dossier
    # Consents ("under_treatment") come with their treatment's prefetch.
    lists = {
        kind.name: list(kind.entries(dossier))
        for kind in KINDS.values()
        if kind.on_page == "list"
    }
    paged = next(kind for kind in KINDS.values() if kind.on_page == "paged")
    page = Paginator(paged.entries(dossier), CARE_MOMENTS_PER_PAGE).get_page(
        page_number
    )
    missing = missing_elements(
        client=access.client,
        dossier=dossier,
        goals=lists["goals"],
        treatments=lists["treatments"],
        discussions=lists["discussions"],
        experiences=lists["experiences"],
        care_moment_count=page.paginator.count,
    )
    return {
        "access": access,
        "client": access.client,
        "dossier": dossier,
        **lists,
        "attachments": list(
            Attachment.objects.filter(dossier=dossier).defer("content")
        ),
        "statements": list(OwnStatement.objects.filter(dossier=dossier)),
        "page": page,
        "missing": missing,
    }
