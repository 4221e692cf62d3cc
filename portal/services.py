"""Portal writes: invitations, own statements, rights requests and decisions. Each one logged."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Invitation, User
from audit.models import Action, Basis, EventType
from audit.services import record
from consent import invitations
from consent.models import Representation
from dossiers.access import Access
from dossiers.lifecycle import client_destroying
from dossiers.models import Client, OwnStatement
from dossiers.services import log_write
from notifications import services as notify
from portal.models import RequestStatus, RightsRequest, deadline_for

InvitationLimited = invitations.InvitationLimited


def invitation_create(
    *,
    actor: User,
    client: Client,
    email: str,
    base_url: str,
    representation: Representation | None = None,
) -> tuple[Invitation, str]:
    """A client's portal invitation (consent.invitations): returns it and its link, which
    is mailed after the response; only a hash of the token is stored."""
    privacy = ""
    if client.practice.privacy_statements.exists():
        privacy = _(
            "Hoe uw zorgverlener met uw gegevens omgaat, leest u in de privacyverklaring:\n%(url)s"
        ) % {
            "url": base_url
            + reverse("practice:privacy_public", args=[client.practice_id])
        }
    return invitations.create(
        actor=actor,
        email=email,
        base_url=base_url,
        client=client,
        extra=privacy,
        representation=representation,
    )


def invitation_accept(*, token: str, username: str, password: str) -> User:
    return invitations.accept(
        hashed=invitations.token_hash(token), username=username, password=password
    )


@transaction.atomic
def statement_add(*, access: Access, actor: User, text: str) -> OwnStatement:
    dossier = access.dossier
    statement = OwnStatement(
        dossier=dossier,
        practice_id=dossier.practice_id,
        key_ref=dossier.key_ref,
        created_by=actor,
        text=text,
    )
    statement.save()
    log_write(
        access,
        actor,
        Action.CREATE,
        statement,
        event_type=EventType.OWNSTATEMENT_CREATE,
        fields=["text"],
        client=access.client,
    )
    return statement


@transaction.atomic
def request_file(
    *, access: Access, actor: User, kind: str, reason: str
) -> RightsRequest:
    client = access.client
    request = RightsRequest.objects.create(
        practice_id=client.practice_id,
        client=client,
        key_ref=client.key_ref,
        kind=kind,
        reason=reason,
        filed_by=actor,
        deadline=deadline_for(kind, timezone.localdate()),
    )
    log_write(
        access,
        actor,
        Action.CREATE,
        request,
        event_type=EventType.RIGHTSREQUEST_CREATE,
        fields=["kind", "reason"],
        client=client,
        detail=kind,
    )
    notify.request_filed(request)
    return request


class AlreadyDecided(Exception):
    """The request was decided before; the first decision stands."""

    def __init__(self, request: RightsRequest) -> None:
        super().__init__(request.pk)
        self.request = request


@transaction.atomic
def request_decide(
    *, actor: User, request: RightsRequest, status: str, reason: str
) -> RightsRequest:
    request = RightsRequest.objects.select_for_update().get(pk=request.pk)
    if status == RequestStatus.OPEN:
        raise ValueError("Een besluit is toegekend, deels toegekend of afgewezen.")
    if request.status != RequestStatus.OPEN:
        # A decision the client may have seen is never flipped by a second POST (a stale
        # tab, a double click); the first one stands.
        raise AlreadyDecided(request)
    request.status, request.decision_reason = status, reason
    request.decided_at, request.decided_by = timezone.now(), actor
    request.save()
    record(
        actor=actor,
        action=Action.UPDATE,
        event_type=EventType.RIGHTSREQUEST_DECIDE,
        practice_id=request.practice_id,
        client_id=request.client_id,
        object_type="rightsrequest",
        object_id=request.pk,
        fields=["status", "decision_reason"],
        basis=Basis.OWN,
        detail=status,
    )
    notify.request_decided(request)
    return request


@receiver(client_destroying)
def forget_requests(sender: Any, client: Client, **kwargs: Any) -> None:
    """A destroyed dossier keeps no rights requests: their reasons are the client's words."""
    RightsRequest.objects.filter(client=client).delete()
