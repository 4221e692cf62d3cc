"""Client lists and search in memory (#26): names and dates of birth are encrypted under each
client's own data key, so the database can neither sort nor search them."""

from __future__ import annotations

import datetime
from itertools import groupby
from typing import Any

from django.db.models import QuerySet

from dossiers.models import Client
from keystore import crypto

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
