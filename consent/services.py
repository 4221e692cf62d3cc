"""Grants, revocations and inspector mandates: each one transaction with its access event."""

from __future__ import annotations

import contextlib
import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, remove_perm

from accounts.models import Practice, Role, User
from audit.models import Action, Basis, EventType
from audit.services import record
from consent import invitations
from consent.access import age_of
from consent.models import (
    MAX_MANDATE_DAYS,
    PARENTS_END_AT,
    PARENTS_ONLY_BELOW,
    AccessGrant,
    InspectorMandate,
    Representation,
    RepresentationKind,
)
from dossiers.access import Access
from dossiers.lifecycle import client_destroying, portal_account_forget
from dossiers.models import Client

MAX_GRANT_DAYS = 366
"""A grant to a colleague lasts at most a year (a leap year's 366 days); renew by a new grant."""


def validate_grant_window(
    valid_from: datetime.date, valid_until: datetime.date
) -> None:
    if (valid_until - valid_from).days >= MAX_GRANT_DAYS:
        raise ValidationError(
            {
                "valid_until": _(
                    "Toegang voor een collega duurt hoogstens een jaar; verleng daarna met een nieuwe toegang."
                )
            }
        )


@transaction.atomic
def grant_create(
    *, actor: User, client: Client, colleague: User, data: dict[str, Any]
) -> AccessGrant:
    # Long because a grant is one transaction: check the window, store it, mirror it in
    # guardian, log it.
    if not data.get("consent_given_on") or not data.get("consent_method"):
        raise ValidationError(
            _(
                "Zonder vastgelegde toestemming van de cliënt kan geen toegang worden gegeven."
            )
        )
    if colleague.role != Role.CAREGIVER or colleague.practice_id == client.practice_id:
        raise ValidationError(
            _(
                "Toegang kan alleen aan een zorgverlener van een andere praktijk worden gegeven."
            )
        )
    if data.get("valid_from") and data.get("valid_until"):
        validate_grant_window(data["valid_from"], data["valid_until"])
    grant = AccessGrant(
        practice_id=client.practice_id,
        client=client,
        key_ref=client.key_ref,
        colleague=colleague,
        created_by=actor,
        **data,
    )
    grant.full_clean()
    grant.save()
    _mirror_in_guardian(grant)
    record(
        actor=actor,
        action=Action.CREATE,
        event_type=EventType.GRANT_CREATE,
        practice_id=client.practice_id,
        client_id=client.pk,
        object_type="accessgrant",
        object_id=grant.pk,
        basis=Basis.GRANT,
        basis_ref=grant.pk,
        recipient=colleague.display_name,
        fields=[
            "colleague",
            "can_write",
            "valid_from",
            "valid_until",
            "consent_given_on",
            "consent_method",
        ],
    )
    return grant


@transaction.atomic
def grant_revoke(
    *, actor: User, grant: AccessGrant, access: Access | None = None
) -> AccessGrant:
    """Revoke; idempotent: a grant already revoked stays as it was and nothing is logged
    again (a double click or a second tab changes nothing). `access`: the portal user's
    own basis (the client, or their representative "namens"), logged as the basis."""
    grant = AccessGrant.objects.select_for_update().get(pk=grant.pk)
    if grant.revoked_at is not None:
        return grant
    grant.revoked_at = timezone.now()
    grant.revoked_by = actor
    grant.save(update_fields=["revoked_at", "revoked_by"])
    still_active = AccessGrant.objects.filter(
        client_id=grant.client_id,
        colleague_id=grant.colleague_id,
        revoked_at__isnull=True,
    ).exclude(pk=grant.pk)
    if not still_active.exists():
        _withdraw_from_guardian(grant.colleague, grant.client)
    record(
        actor=actor,
        action=Action.UPDATE,
        event_type=EventType.GRANT_REVOKE,
        practice_id=grant.practice_id,
        client_id=grant.client_id,
        object_type="accessgrant",
        object_id=grant.pk,
        basis=access.basis if access else Basis.GRANT,
        basis_ref=access.basis_ref if access else grant.pk,
        recipient=grant.colleague.display_name,
        fields=["revoked_at"],
    )
    return grant


def validate_window(
    valid_from: datetime.datetime, valid_until: datetime.datetime
) -> None:
    if valid_until <= valid_from:
        raise ValidationError({"valid_until": _("Het einde moet na het begin liggen.")})
    if valid_until - valid_from > datetime.timedelta(days=MAX_MANDATE_DAYS):
        raise ValidationError(
            {"valid_until": _("Een inspectiemandaat duurt hoogstens 30 dagen.")}
        )


@transaction.atomic
def mandate_create(
    *,
    actor: User,
    username: str,
    name: str,
    email: str,
    data: dict[str, Any],
    clients: list[Client],
    base_url: str,
) -> InspectorMandate:
    """Create an inspector account with its mandate, and invite the inspector to choose
    their own password: the account has none until then, and the zorgverlener never
    knows it. The mandate's window still decides when the account can sign in."""
    # Long because a mandate is one transaction: the inspector's account, the mandate, its
    # clients, the invitation, the log.
    validate_window(data["valid_from"], data["valid_until"])
    if actor.practice is None:
        raise ValidationError(
            _(
                "Alleen een zorgverlener met een praktijk kan een inspecteur toegang geven."
            )
        )
    inspector = invitations.new_account(
        username=username, name=name, email=email, role=Role.INSPECTOR
    )
    mandate = InspectorMandate.objects.create(
        practice=actor.practice, inspector=inspector, created_by=actor, **data
    )
    mandate.clients.set(clients)
    record(
        actor=actor,
        action=Action.CREATE,
        event_type=EventType.INSPECTOR_CREATE,
        practice_id=actor.practice_id,
        object_type="inspectormandate",
        object_id=mandate.pk,
        basis=Basis.INSPECTOR,
        basis_ref=mandate.pk,
        case_reference=mandate.case_reference,
        recipient=inspector.display_name,
        fields=["valid_from", "valid_until", "all_clients", "clients", "may_export"],
    )
    mandate_invite(actor=actor, mandate=mandate, base_url=base_url)
    return mandate


def mandate_invite(*, actor: User, mandate: InspectorMandate, base_url: str) -> bool:
    """(Again) invite the mandate's inspector to choose a password. False when nothing
    was sent: the inspector already has one, the mandate ended, or the hourly limit."""
    inspector = mandate.inspector
    if inspector.has_usable_password() or mandate.valid_until <= timezone.now():
        return False
    try:
        invitations.create(
            actor=actor,
            email=inspector.contact_email,
            base_url=base_url,
            account=inspector,
            until=mandate.valid_until,
        )
    except invitations.InvitationLimited:
        return False
    return True


@transaction.atomic
def colleague_invite(
    *,
    actor: User,
    username: str,
    name: str,
    email: str,
    agb_code: str,
    practice_name: str,
    base_url: str,
) -> User:
    """An account for a zorgverlener of another praktijk who has none yet, so the client's
    own zorgverlener can give them access (with the client's consent). The colleague
    chooses the password through the invitation; until then the account cannot sign in."""
    practice = Practice.objects.create(
        name=practice_name.strip() or _("Praktijk %(name)s") % {"name": name.strip()}
    )
    colleague = invitations.new_account(
        username=username,
        name=name,
        email=email,
        role=Role.CAREGIVER,
        practice=practice,
        agb_code=agb_code,
    )
    record(
        actor=actor,
        action=Action.CREATE,
        event_type=EventType.COLLEAGUE_CREATE,
        practice_id=actor.practice_id,
        object_type="user",
        object_id=colleague.public_id,
        recipient=colleague.display_name,
        fields=["username", "name", "email", "agb_code", "practice"],
    )
    # Over the hourly limit nothing is sent (logged); the zorgverlener sees the same answer.
    with contextlib.suppress(invitations.InvitationLimited):
        invitations.create(
            actor=actor, email=email, base_url=base_url, account=colleague
        )
    return colleague


# Guardian holds the object permission a grant gives; these two keep it in step with the rows.
def _mirror_in_guardian(grant: AccessGrant) -> None:
    assign_perm("dossiers.view_client", grant.colleague, grant.client)
    if grant.can_write:
        assign_perm("dossiers.change_client", grant.colleague, grant.client)


def _withdraw_from_guardian(colleague: User, client: Client) -> None:
    remove_perm("dossiers.view_client", colleague, client)
    remove_perm("dossiers.change_client", colleague, client)


@receiver(client_destroying)
def forget_grants(sender: Any, client: Client, **kwargs: Any) -> None:
    """A destroyed dossier keeps no grants, and no colleague keeps a permission on it;
    no representations either, and a representative's account that now acts for nobody
    (and is no client itself) is forgotten like the client's own."""
    for grant in AccessGrant.objects.filter(client=client).select_related("colleague"):
        _withdraw_from_guardian(grant.colleague, client)
    AccessGrant.objects.filter(client=client).delete()
    representatives = list(
        Representation.objects.filter(client=client, user__isnull=False).values_list(
            "user_id", flat=True
        )
    )
    Representation.objects.filter(client=client).delete()  # and their invitations
    idle = User.objects.filter(
        pk__in=representatives,
        representations__isnull=True,
        client_record__isnull=True,
    )
    for user in idle:
        portal_account_forget(user)


def _record_representation(
    actor: User,
    representation: Representation,
    event_type: EventType,
    fields: list[str],
) -> None:
    record(
        actor=actor,
        action=Action.CREATE if event_type.endswith("create") else Action.UPDATE,
        event_type=event_type,
        practice_id=representation.practice_id,
        client_id=representation.client_id,
        object_type="representation",
        object_id=representation.pk,
        basis=Basis.OWN,
        fields=fields,
    )


@transaction.atomic
def representation_create(
    *, actor: User, client: Client, data: dict[str, Any]
) -> Representation:
    """Register a representative (WGBO 7:465); the age rules are the model's `clean`."""
    representation = Representation(
        practice_id=client.practice_id,
        client=client,
        key_ref=client.key_ref,
        created_by=actor,
        **data,
    )
    representation.full_clean()
    representation.save()
    _record_representation(
        actor, representation, EventType.REPRESENTATION_CREATE, sorted(data)
    )
    return representation


@transaction.atomic
def representation_end(
    *, actor: User, representation: Representation
) -> Representation:
    """End a representation now; idempotent (a second click changes nothing)."""
    representation = Representation.objects.select_for_update().get(
        pk=representation.pk
    )
    if representation.ended_at is not None:
        return representation
    representation.ended_at = timezone.now()
    representation.save(update_fields=["ended_at"])
    _record_representation(
        actor, representation, EventType.REPRESENTATION_END, ["ended_at"]
    )
    return representation


@transaction.atomic
def representation_refuse(
    *, actor: User, representation: Representation, refused: bool, reason: str = ""
) -> Representation:
    """WGBO 7:457: refuse (or lift the refusal of) a parent's access to the record of a
    child of 12 to 15, with the zorgverlener's reason. Idempotent like a restriction."""

    representation = Representation.objects.select_for_update().get(
        pk=representation.pk
    )
    if (representation.refused_at is not None) == refused:
        return representation
    age = age_of(representation.client)
    if refused and (
        representation.kind != RepresentationKind.PARENT
        or age is None
        or not PARENTS_ONLY_BELOW <= age < PARENTS_END_AT
    ):
        raise ValidationError(
            _(
                "Weigeren kan alleen bij een ouder of voogd van een kind van 12 tot 16 jaar."
            )
        )
    representation.refused_at = timezone.now() if refused else None
    representation.refusal_reason = reason if refused else ""
    representation.save(update_fields=["refused_at", "refusal_reason"])
    _record_representation(
        actor,
        representation,
        EventType.REPRESENTATION_REFUSE if refused else EventType.REPRESENTATION_ALLOW,
        ["refused_at", "refusal_reason"],
    )
    return representation
