"""Access rules besides ownership: colleague grants, inspector mandates, the client's own
record and representatives (with the age rules for minors, WGBO 7:447/7:450/7:457).

Guardian holds the object permission; our rows hold the validity window (guardian knows no
expiry). Both must agree, checked on every request. The rules are registered with the one
access function (`dossiers.access.resolve`) when the app starts (`consent.apps`).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from guardian.core import ObjectPermissionChecker
from guardian.shortcuts import get_objects_for_user

from audit.models import Basis
from consent.models import (
    PARENTS_END_AT,
    PARENTS_ONLY_BELOW,
    AccessGrant,
    InspectorMandate,
    Representation,
    RepresentationKind,
    age_on,
)
from dossiers.access import Access, OtherBasis
from dossiers.models import Client


def grant_access(user: Any, client: Client) -> Access | None:
    if not user.is_caregiver:
        return None
    grant = (
        AccessGrant.objects.active()
        .filter(client=client, colleague=user)
        .order_by("-can_write", "-created_at")
        .first()
    )
    if grant is None:
        return None
    checker = ObjectPermissionChecker(user)
    if not checker.has_perm("view_client", client):
        return None
    can_write = grant.can_write and checker.has_perm("change_client", client)
    return Access(
        client=client, basis=Basis.GRANT, basis_ref=str(grant.pk), can_write=can_write
    )


def granted_client_ids(user: Any) -> list[Any]:
    if not user.is_caregiver:
        return []
    active_ids = list(
        AccessGrant.objects.active()
        .filter(colleague=user)
        .values_list("client_id", flat=True)
    )
    if (
        not active_ids
    ):  # the usual case for a zzp'er: no colleague's client shared with her
        return []
    permitted = get_objects_for_user(
        user, "dossiers.view_client", klass=Client, accept_global_perms=False
    )
    return list(permitted.filter(pk__in=active_ids).values_list("pk", flat=True))


def active_mandate(user: Any) -> InspectorMandate | None:
    if not getattr(user, "is_inspector", False):
        return None
    mandate = InspectorMandate.objects.filter(inspector=user).first()
    return mandate if mandate and mandate.is_active() else None


def inspector_access(user: Any, client: Client) -> Access | None:
    mandate = active_mandate(user)
    if mandate is None or mandate.practice_id != client.practice_id:
        return None
    if not mandate.all_clients and not mandate.clients.filter(pk=client.pk).exists():
        return None
    return Access(
        client=client,
        basis=Basis.INSPECTOR,
        basis_ref=str(mandate.pk),
        case_reference=mandate.case_reference,
    )


def inspector_client_ids(user: Any) -> list[Any]:
    mandate = active_mandate(user)
    if mandate is None:
        return []
    clients = Client.objects.filter(practice_id=mandate.practice_id)
    if not mandate.all_clients:
        clients = clients.filter(pk__in=mandate.clients.values("pk"))
    return list(clients.values_list("pk", flat=True))


def inspector_may_export(access: Access) -> bool:
    return (
        access.basis == Basis.INSPECTOR
        and InspectorMandate.objects.filter(
            pk=access.basis_ref, may_export=True
        ).exists()
    )


def own_record_access(user: Any, client: Client) -> Access | None:
    """The client's own portal account; under 12 only the parents or guardian use the
    portal (WGBO 7:447/7:465), so a younger child's own account is refused."""
    if not (user.is_client and client.portal_user_id == user.pk):
        return None
    age = age_of(client)
    if age is not None and age < PARENTS_ONLY_BELOW:
        return None
    return Access(client=client, basis=Basis.SELF)


def age_of(client: Client, today: datetime.date | None = None) -> int | None:
    """The client's age in full years; None for a birth date after today (a stored error
    the age rules cannot use: the own account is not refused for it, a parent is)."""
    born, today = client.date_of_birth, today or timezone.localdate()
    return age_on(born, today) if born and born <= today else None


def current_representations(
    user: Any, today: datetime.date | None = None
) -> QuerySet[Representation]:
    """The user's representations within their window and not ended (the age rules and a
    refusal are checked per client by `representation_allowed`)."""
    today = today or timezone.localdate()
    return Representation.objects.filter(
        user=user, ended_at__isnull=True, valid_from__lte=today
    ).filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))


def representation_allowed(
    representation: Representation, client: Client, today: datetime.date | None = None
) -> bool:
    """A parent or guardian acts for a child under 16, unless the zorgverlener recorded a
    refusal (WGBO 7:457); a curator, mentor or authorised person is not bound by age."""
    if representation.kind != RepresentationKind.PARENT:
        return True
    age = age_of(client, today)
    if age is None or age >= PARENTS_END_AT:
        return False
    return representation.refused_at is None


def representative_access(user: Any, client: Client) -> Access | None:
    """A representative's portal account, for exactly the clients they represent now."""
    if not user.is_client:
        return None
    for representation in current_representations(user).filter(client=client):
        if representation_allowed(representation, client):
            return Access(
                client=client,
                basis=Basis.REPRESENTATIVE,
                basis_ref=str(representation.pk),
            )
    return None


def represented_client_ids(user: Any) -> Any:
    """A subquery: the clients this account represents within a current window."""
    return current_representations(user).values("client_id")


def representatives_shown_to(access: Access) -> list[Representation]:
    """ "Wie treedt namens u op": the client's representatives as the client sees them in
    the portal (a representative is not shown the others). Ended ones are left out."""
    if access.basis != Basis.SELF:
        return []
    return list(
        Representation.objects.filter(
            client=access.client, ended_at__isnull=True
        ).order_by("valid_from")
    )


def _no_client_list(user: Any) -> list[Any]:
    return []  # clients and representatives use the portal, never the client list


COLLEAGUE_GRANT = OtherBasis(access=grant_access, client_ids=granted_client_ids)
INSPECTOR_MANDATE = OtherBasis(
    access=inspector_access,
    client_ids=inspector_client_ids,
    may_export=inspector_may_export,
)
OWN_RECORD = OtherBasis(access=own_record_access, client_ids=_no_client_list)
REPRESENTATIVE = OtherBasis(
    access=representative_access,
    client_ids=_no_client_list,
    may_export=lambda access: access.basis == Basis.REPRESENTATIVE,
    portal_client_ids=represented_client_ids,
)
# resolve() tries them in this order (consent.apps registers them).
BASES = (COLLEAGUE_GRANT, INSPECTOR_MANDATE, OWN_RECORD, REPRESENTATIVE)
