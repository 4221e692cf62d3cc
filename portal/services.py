"""Portal writes: invitations, own statements, rights requests and decisions. Each one logged."""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Invitation, Role, User
from audit.models import Action, Basis
from audit.services import record
from dossiers.access import Access
from dossiers.models import Client, OwnStatement
from dossiers.services import log_write
from notifications import services as notify
from portal.models import RequestStatus, RightsRequest, deadline_for

INVITATION_HOURS = 72


class InvitationInvalid(Exception):
    pass


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def invitation_create(
    *, actor: User, client: Client, email: str, base_url: str
) -> tuple[Invitation, str]:
    """Returns the invitation and its link; only a hash of the token is stored."""
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        client=client,
        email=email,
        created_by=actor,
        token_hash=_hash(token),
        expires_at=timezone.now() + datetime.timedelta(hours=INVITATION_HOURS),
    )
    link = f"{base_url}/uitnodiging/{token}/"
    record(
        actor=actor,
        action=Action.CREATE,
        event_type="invitation.create",
        practice_id=client.practice_id,
        client_id=client.pk,
        object_type="invitation",
        object_id=invitation.pk,
        basis=Basis.OWN,
        recipient="cliënt (e-mail)",
    )
    privacy = ""
    if client.practice.privacy_statements.exists():
        privacy = base_url + reverse(
            "practice:privacy_public", args=[client.practice_id]
        )
    transaction.on_commit(lambda: _send_invitation(email, link, privacy))
    return invitation, link


def _send_invitation(email: str, link: str, privacy: str = "") -> None:
    body = _(
        "Uw zorgverlener nodigt u uit voor het cliëntportaal. Daar kunt u uw dossier inzien en zien wie het "
        "bekeek.\n\nOpen deze link binnen 72 uur en kies een wachtwoord:\n%(link)s\n\nDe link werkt één keer."
    ) % {"link": link}
    if privacy:
        body += "\n\n" + _(
            "Hoe uw zorgverlener met uw gegevens omgaat, leest u in de privacyverklaring:\n%(url)s"
        ) % {"url": privacy}
    send_mail(
        _("Uitnodiging voor uw cliëntportaal"),
        body,
        settings.DEFAULT_FROM_EMAIL,
        [email],
        fail_silently=True,
    )


def invitation_for(token: str) -> Invitation:
    invitation = (
        Invitation.objects.select_related("client")
        .filter(token_hash=_hash(token))
        .first()
    )
    if (
        invitation is None
        or invitation.used_at is not None
        or invitation.expires_at <= timezone.now()
    ):
        raise InvitationInvalid
    return invitation


@transaction.atomic
def invitation_accept(*, token: str, username: str, password: str) -> User:
    invitation = Invitation.objects.select_for_update().get(pk=invitation_for(token).pk)
    if invitation.used_at is not None:
        raise InvitationInvalid
    client = Client.objects.select_for_update().get(pk=invitation.client_id)
    user = User(
        username=username,
        role=Role.CLIENT,
        first_name=client.given_names,
        last_name=" ".join(p for p in (client.name_prefix, client.family_name) if p),
        key_ref=client.key_ref,  # the e-mail is shredded with the dossier (#26)
    )
    user.contact_email = str(invitation.email)
    user.set_password(password)
    user.save()
    client.portal_user = user
    client.save(update_fields=["portal_user"])
    invitation.used_at = timezone.now()
    invitation.save(update_fields=["used_at"])
    record(
        actor=user,
        action=Action.EXECUTE,
        event_type="invitation.accept",
        practice_id=client.practice_id,
        client_id=client.pk,
        object_type="invitation",
        object_id=invitation.pk,
        basis=Basis.SELF,
    )
    return user


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
        event_type="ownstatement.create",
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
        event_type="rightsrequest.create",
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
        event_type="rightsrequest.decide",
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
