"""Access rules besides ownership: colleague grants, inspector mandates, the client's own
record and representatives (with the age rules for minors, WGBO 7:447/7:450/7:457).

Guardian holds the object permission; our rows hold the validity window (guardian knows no
expiry). Both must agree, checked on every request.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.db.models import Q
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
    """The client's own portal account; under 12 only the parents or guardian use the
    portal (WGBO 7:447/7:465), so a younger child's own account is refused."""
    from consent.models import PARENTS_ONLY_BELOW
    from dossiers.access import Access

    if not (user.is_client and client.portal_user_id == user.pk):
        return None
    age = age_of(client)
    if age is not None and age < PARENTS_ONLY_BELOW:
        return None
    return Access(client=client, basis=Basis.SELF)


def age_of(client: Client, today: datetime.date | None = None) -> int | None:
    """The client's age in full years; None for a birth date after today (a stored error
    the age rules cannot use: the own account is not refused for it, a parent is)."""
    from consent.models import age_on

    born, today = client.date_of_birth, today or timezone.localdate()
    return age_on(born, today) if born and born <= today else None


def current_representations(user: Any, today: datetime.date | None = None) -> Any:
    """The user's representations within their window and not ended (the age rules and a
    refusal are checked per client by `representation_allowed`)."""
    from consent.models import Representation

    today = today or timezone.localdate()
    return Representation.objects.filter(
        user=user, ended_at__isnull=True, valid_from__lte=today
    ).filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))


def representation_allowed(
    representation: Any, client: Client, today: datetime.date | None = None
) -> bool:
    """A parent or guardian acts for a child under 16, unless the zorgverlener recorded a
    refusal (WGBO 7:457); a curator, mentor or authorised person is not bound by age."""
    from consent.models import PARENTS_END_AT, RepresentationKind

    if representation.kind != RepresentationKind.PARENT:
        return True
    age = age_of(client, today)
    if age is None or age >= PARENTS_END_AT:
        return False
    return representation.refused_at is None


def representative_access(user: Any, client: Client) -> Access | None:
    """A representative's portal account, for exactly the clients they represent now."""
    from dossiers.access import Access

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


def representatives_shown_to(access: Access) -> list[Any]:
    """ "Wie treedt namens u op": the client's representatives as the client sees them in
    the portal (a representative is not shown the others). Ended ones are left out."""
    from consent.models import Representation

    if access.basis != Basis.SELF:
        return []
    return list(
        Representation.objects.filter(
            client=access.client, ended_at__isnull=True
        ).order_by("valid_from")
    )
