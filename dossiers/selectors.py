"""Reads that several views share (the zorgverlener's dossier page and the portal's)."""

from __future__ import annotations

import datetime
from itertools import groupby
from typing import Any

from django.core.paginator import Paginator
from django.db.models import Prefetch, QuerySet

from dossiers.access import Access
from dossiers.completeness import missing_elements
from dossiers.models import (
    Attachment,
    CareMoment,
    Client,
    Discussion,
    Experience,
    Goal,
    OwnStatement,
    Treatment,
)
from keystore import crypto

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


# What a client list shows and sorts by: load only these when listing many clients.
LISTED_FIELDS = (
    "id",
    "key_ref",
    "given_names",
    "name_prefix",
    "family_name",
    "date_of_birth",
)


def _folded(value: Any) -> str:
    return str(value or "").casefold()


def clients_in_order(clients: QuerySet[Client]) -> list[Client]:
    """The clients of a queryset, decrypted and sorted by family name, then given names.

    Names are encrypted under each client's own data key (#26), so the database can neither
    sort nor search them: the keys are unwrapped in one query and the rest happens here.
    A practice's list is a few thousand clients at most."""
    listed = list(clients)
    crypto.load_data_keys(c.key_ref for c in listed)
    listed.sort(key=lambda c: (_folded(c.family_name), str(c.pk)))
    # Given names only break ties: decrypting them for every client would double the work.
    ordered: list[Client] = []
    for _, same in groupby(listed, key=lambda c: _folded(c.family_name)):
        group = list(same)
        if len(group) > 1:
            group.sort(key=lambda c: (_folded(c.given_names), str(c.pk)))
        ordered += group
    return ordered


def clients_matching(
    clients: QuerySet[Client], *, name: str = "", born: datetime.date | None = None
) -> list[Client]:
    """Search in memory: every word of `name` is part of a given or family name (or is the
    prefix), ignoring case (casefold); `born` is the exact date."""
    words = [_folded(word) for word in name.split()]
    found = []
    for client in clients_in_order(clients):
        if born is not None and client.date_of_birth != born:
            continue
        names = (_folded(client.given_names), _folded(client.family_name))
        prefix = _folded(client.name_prefix)
        if all(any(w in n for n in names) or w == prefix for w in words):
            found.append(client)
    return found


def clients_with_family_name(
    clients: QuerySet[Client], family_name: str
) -> list[Client]:
    """The clients whose family name is exactly `family_name` (ignoring case), in order.
    For seeds, benchmarks and tests that pick a client by name: the column is encrypted."""
    wanted = _folded(family_name)
    return [c for c in clients_in_order(clients) if _folded(c.family_name) == wanted]
