"""Reads that several views share (the zorgverlener's dossier page and the portal's)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.paginator import Paginator

from dossiers.access import Access
from dossiers.completeness import missing_elements
from dossiers.entries import KINDS
from dossiers.exports import field_labels
from dossiers.models import (
    Attachment,
    OwnStatement,
    Revision,
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


@dataclass(frozen=True)
class Correction:
    """One earlier version of a part of the record: what it said, who changed it, why."""

    revision: Revision
    part: str  # "doel of voorkeur", "dossier", "cliënt", …
    values: list[tuple[str, Any]]


def corrections(access: Access) -> list[Correction]:
    """Every correction in the client's record, newest first, old text under Dutch labels
    (the client's inzage shows the earlier text and the reason, WGBO 7:456)."""

    labels = field_labels()
    rows = (
        Revision.objects.filter(client_id=access.client.pk)
        .select_related("changed_by")
        .order_by("-changed_at", "-version")
    )
    return [
        Correction(
            revision=r,
            part=_part_name(r.object_type),
            values=[(labels.get(k, k), v) for k, v in json.loads(r.old_values).items()],
        )
        for r in rows
    ]


def _part_name(object_type: str) -> str:
    try:
        model = apps.get_model("dossiers", object_type)
    except LookupError:
        return object_type
    return str(model._meta.verbose_name)
