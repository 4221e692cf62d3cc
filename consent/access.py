"""Access rules besides ownership: colleague grants, inspector mandates, the client's own record.

Guardian holds the object permission; our rows hold the validity window (guardian knows no
expiry). Both must agree, checked on every request.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils import timezone
from guardian.core import ObjectPermissionChecker
from guardian.shortcuts import get_objects_for_user

from audit.models import Basis

if TYPE_CHECKING:
    from dossiers.access import Access
    from dossiers.models import Client


def _active_grant(user: Any, client: Client) -> Any:
    from consent.models import AccessGrant

    today = timezone.localdate()
    return (
        AccessGrant.objects.filter(
            client=client,
            colleague=user,
            revoked_at__isnull=True,
            valid_from__lte=today,
            valid_until__gte=today,
        )
        .order_by("-can_write", "-created_at")
        .first()
    )


def grant_access(user: Any, client: Client) -> Access | None:
    from dossiers.access import Access

    if not user.is_caregiver:
        return None
    grant = _active_grant(user, client)
    if grant is None:
        return None
    checker = ObjectPermissionChecker(user)
    if not checker.has_perm("view_client", client):
        return None
    can_write = grant.can_write and checker.has_perm("change_client", client)
    return Access(
        client=client, basis=Basis.GRANT, basis_ref=str(grant.pk), can_write=can_write
    )


def active_mandate(user: Any) -> Any:
    if not getattr(user, "is_inspector", False):
        return None
    from consent.models import InspectorMandate

    mandate = InspectorMandate.objects.filter(inspector=user).first()
    return mandate if mandate and mandate.is_active() else None


def inspector_access(user: Any, client: Client) -> Access | None:
    from dossiers.access import Access

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


def own_record_access(user: Any, client: Client) -> Access | None:
    from dossiers.access import Access

    if user.is_client and client.portal_user_id == user.pk:
        return Access(client=client, basis=Basis.SELF)
    return None


def granted_client_ids(user: Any) -> list[Any]:
    from consent.models import AccessGrant
    from dossiers.models import Client

    today = timezone.localdate()
    active = AccessGrant.objects.filter(
        colleague=user,
        revoked_at__isnull=True,
        valid_from__lte=today,
        valid_until__gte=today,
    ).values_list("client_id", flat=True)
    active_ids = list(active)
    if (
        not active_ids
    ):  # the usual case for a zzp'er: no colleague's client shared with her
        return []
    permitted = get_objects_for_user(
        user, "dossiers.view_client", klass=Client, accept_global_perms=False
    )
    return list(permitted.filter(pk__in=active_ids).values_list("pk", flat=True))


def inspector_client_ids(user: Any) -> list[Any]:
    from dossiers.models import Client

    mandate = active_mandate(user)
    if mandate is None:
        return []
    clients = Client.objects.filter(practice_id=mandate.practice_id)
    if not mandate.all_clients:
        clients = clients.filter(pk__in=mandate.clients.values("pk"))
    return list(clients.values_list("pk", flat=True))
