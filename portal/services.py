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
from consent.models import Representation
from dossiers.access import Access
from dossiers.models import Client, OwnStatement
from dossiers.services import log_write
from portal.models import RequestStatus, RightsRequest, deadline_for

INVITATION_HOURS = 72


class InvitationInvalid(Exception):
    pass


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def invitation_create(
    *,
    actor: User,
    client: Client,
    email: str,
    base_url: str,
    representation: Representation | None = None,
) -> tuple[Invitation, str]:
    """Returns the invitation and its link; only a hash of the token is stored. With a
    `representation`, the account made from it is the representative's (WGBO 7:465)."""
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        client=client,
        representation=representation,
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
        recipient="vertegenwoordiger (e-mail)" if representation else "cliënt (e-mail)",
    )
    privacy = ""
    if client.practice.privacy_statements.exists():
        privacy = base_url + reverse(
            "practice:privacy_public", args=[client.practice_id]
        )
    as_representative = representation is not None
    transaction.on_commit(
        lambda: _send_invitation(email, link, privacy, as_representative)
    )
    return invitation, link


def _send_invitation(
    email: str, link: str, privacy: str = "", as_representative: bool = False
) -> None:
    if as_representative:  # no name of the client in an e-mail
        body = _(
            "Een zorgverlener nodigt u uit voor het cliëntportaal, als vertegenwoordiger van een cliënt. "
            "Daar kunt u het dossier inzien en namens de cliënt verzoeken doen.\n\nOpen deze link binnen "
            "72 uur en kies een wachtwoord:\n%(link)s\n\nDe link werkt één keer."
        ) % {"link": link}
    else:
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
    if invitation.representation_id is not None:
        return _representative_accept(invitation, username, password)
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
def invitation_link(*, token: str, user: User) -> Representation:
    """A representative who has a portal account already (a client who is also a parent,
    a mentor of several clients) links the representation to it while signed in with both
    steps: one account, and the choice page picks for whom it acts."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation_for(token).pk)
    if invitation.used_at is not None or invitation.representation_id is None:
        raise InvitationInvalid
    if not user.is_client:
        raise InvitationInvalid
    representation = Representation.objects.select_for_update().get(
        invitations=invitation
    )
    if representation.user_id is not None or representation.ended_at is not None:
        raise InvitationInvalid
    if Client.objects.filter(pk=representation.client_id, portal_user=user).exists():
        raise InvitationInvalid  # nobody represents themselves
    representation.user = user
    representation.save(update_fields=["user"])
    invitation.used_at = timezone.now()
    invitation.save(update_fields=["used_at"])
    _record_accept(invitation, representation, user)
    return representation


def _record_accept(
    invitation: Invitation, representation: Representation, user: User
) -> None:
    record(
        actor=user,
        action=Action.EXECUTE,
        event_type="invitation.accept",
        practice_id=representation.practice_id,
        client_id=representation.client_id,
        object_type="invitation",
        object_id=invitation.pk,
        basis=Basis.REPRESENTATIVE,
        basis_ref=representation.pk,
    )


def _representative_accept(
    invitation: Invitation, username: str, password: str
) -> User:
    """The representative's own account (role client: a portal account; what it may do
    for whom is decided per client by `consent.access`). Its e-mail is sealed under a key
    of its own, not the client's: the representative is not shredded with the dossier."""
    representation = Representation.objects.select_for_update().get(
        invitations=invitation
    )
    if representation.user_id is not None or representation.ended_at is not None:
        raise InvitationInvalid
    first, _sep, last = str(representation.name).partition(" ")
    user = User(username=username, role=Role.CLIENT, first_name=first, last_name=last)
    user.contact_email = str(invitation.email)
    user.set_password(password)
    user.save()
    representation.user = user
    representation.save(update_fields=["user"])
    invitation.used_at = timezone.now()
    invitation.save(update_fields=["used_at"])
    _record_accept(invitation, representation, user)
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
    return request
