"""Access rules besides ownership: colleague grants and inspector mandates.

Guardian holds the object permission; our rows hold the validity window (guardian knows no
expiry). Both must agree, checked on every request. The rules are registered with the one
access function (`dossiers.access.resolve`) when the app starts (`consent.apps`).
"""

from __future__ import annotations

from typing import Any

from guardian.core import ObjectPermissionChecker
from guardian.shortcuts import get_objects_for_user

from audit.models import Basis
from consent.models import AccessGrant, InspectorMandate
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


COLLEAGUE_GRANT = OtherBasis(access=grant_access, client_ids=granted_client_ids)
INSPECTOR_MANDATE = OtherBasis(
    access=inspector_access,
    client_ids=inspector_client_ids,
    may_export=inspector_may_export,
)
