"""Invitations for every role: a single-use link with which the invited person chooses
their own password (and then their second factor). One place for making, opening and
accepting them.

- A client's invitation makes the portal account on acceptance.
- An inspector's or colleague's account is made by the zorgverlener without a usable
  password; the invitation lets its owner set one. The zorgverlener never knows it.

Only a hash of the token is stored, in the database and in the session. The link in the
mail carries the token once: its first visit moves the hash into the session and
redirects to a page without it (portal.views.invitation_open), so the token is in no
later URL, Referer or access-log line. A link works once and at most 72 hours; a new
invitation for the same person ends the earlier ones.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from accounts import mail_limits
from accounts.models import Invitation, Role, User, portal_login_name
from audit.models import Action, Basis, EventType, Outcome
from audit.services import record
from consent.models import Representation
from dossiers.models import Client
from ecd.mail import send_after_response

INVITATION_HOURS = 72
SESSION_KEY = "invitation"  # the token's hash, never the token itself


class InvitationInvalid(Exception):
    """The link does not work: reason is 'unknown', 'used' or 'expired'."""

    def __init__(self, reason: str = "unknown") -> None:
        super().__init__(reason)
        self.reason = reason


class InvitationLimited(Exception):
    """Too many invitation mails to this address or account this hour; nothing was sent."""


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create(
    *,
    actor: User,
    email: str,
    base_url: str,
    client: Any = None,
    account: User | None = None,
    until: datetime.datetime | None = None,
    extra: str = "",
    representation: Representation | None = None,
) -> tuple[Invitation, str]:
    """Make an invitation for a client (`client`) or an existing account without a
    password (`account`) and mail its link after the response. Returns the invitation
    and its link; raises InvitationLimited (logged, nothing sent) over the hourly limit."""
    account_ref = str(client.pk) if client is not None else str(account.public_id)  # type: ignore[union-attr]
    practice_id = client.practice_id if client is not None else actor.practice_id
    if not mail_limits.may_send(mail_limits.INVITATION, email, account_ref):
        record(
            actor=actor,
            action=Action.CREATE,
            event_type=EventType.INVITATION_LIMITED,
            outcome=Outcome.DENIED,
            practice_id=practice_id,
            client_id=client.pk if client is not None else None,
            object_type="invitation",
        )
        raise InvitationLimited
    return _create(
        actor=actor,
        email=email,
        base_url=base_url,
        client=client,
        account=account,
        until=until,
        extra=extra,
        representation=representation,
    )


@transaction.atomic
def _create(
    *,
    actor: User,
    email: str,
    base_url: str,
    client: Any,
    account: User | None,
    until: datetime.datetime | None,
    extra: str,
    representation: Representation | None = None,
) -> tuple[Invitation, str]:
    # Long because an invitation is one transaction: end earlier links, store the hash, log,
    # mail after commit.
    now = timezone.now()
    owner: dict[str, Any] = (
        {"client": client} if client is not None else {"account": account}
    )
    if client is not None:  # the client's own link, or a representative's (WGBO 7:465)
        owner["representation"] = representation
    # One live link per person: a new invitation ends the earlier ones.
    Invitation.objects.filter(used_at__isnull=True, expires_at__gt=now, **owner).update(
        expires_at=now
    )
    expires_at = now + datetime.timedelta(hours=INVITATION_HOURS)
    if until is not None:
        expires_at = min(expires_at, until)
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        email=email,
        created_by=actor,
        token_hash=token_hash(token),
        expires_at=expires_at,
        **owner,
    )
    link = base_url + reverse("portal:invitation_open", args=[token])
    if representation is not None:
        practice_id, client_id = client.practice_id, client.pk
        recipient = "vertegenwoordiger"
    elif client is not None:
        practice_id, client_id, recipient = client.practice_id, client.pk, "cliënt"
    else:
        practice_id, client_id = actor.practice_id, None
        recipient = account.display_name  # type: ignore[union-attr]
    record(
        actor=actor,
        action=Action.CREATE,
        event_type=EventType.INVITATION_CREATE,
        practice_id=practice_id,
        client_id=client_id,
        object_type="invitation",
        object_id=invitation.pk,
        basis=Basis.OWN if client is not None else Basis.NONE,
        recipient=f"{recipient} (e-mail)",
    )
    subject, body = _message(invitation, link, actor, extra)
    transaction.on_commit(lambda: send_after_response(subject, body, [email]))
    return invitation, link


def _message(
    invitation: Invitation, link: str, actor: User, extra: str
) -> tuple[str, str]:
    # Long because it is text: the e-mail for each kind of invitation.
    before = formats.date_format(
        timezone.localtime(invitation.expires_at), "j F Y \\o\\m H:i"
    )
    words = {"link": link, "before": before}
    if invitation.representation_id:  # no name of the client in an e-mail
        subject = _("Uitnodiging voor het cliëntportaal")
        body = (
            _(
                "Een zorgverlener nodigt u uit voor het cliëntportaal, als vertegenwoordiger "
                "van een cliënt. Daar kunt u het dossier inzien en namens de cliënt verzoeken "
                "doen.\n\nOpen deze link vóór %(before)s en kies een wachtwoord:\n%(link)s"
                "\n\nDe link werkt één keer."
            )
            % words
        )
    elif invitation.client_id:
        subject = _("Uitnodiging voor uw cliëntportaal")
        body = (
            _(
                "Uw zorgverlener nodigt u uit voor het cliëntportaal. Daar kunt u uw dossier "
                "inzien en zien wie het bekeek.\n\nOpen deze link vóór %(before)s en kies een "
                "wachtwoord:\n%(link)s\n\nDe link werkt één keer."
            )
            % words
        )
    else:
        account = invitation.account
        if account is None:  # the check constraint rules this out
            raise ValueError("an invitation is for a client or for an account")
        words |= {"username": account.username, "who": actor.display_name}
        if account.is_inspector:
            subject = _("Uw account voor het ECD (inspectie)")
            body = (
                _(
                    "%(who)s heeft voor u als inspecteur een account gemaakt in het ECD. "
                    "U kunt er alleen lezen, binnen de periode van uw mandaat.\n\n"
                )
                % words
            )
        else:
            subject = _("Uw account voor het ECD")
            body = (
                _(
                    "%(who)s heeft voor u een account gemaakt in het ECD, zodat u toegang kunt "
                    "krijgen tot dossiers van cliënten die daar toestemming voor geven.\n\n"
                )
                % words
            )
        body += (
            _(
                "Uw gebruikersnaam is: %(username)s\n\nOpen deze link vóór %(before)s en kies "
                "zelf een wachtwoord:\n%(link)s\n\nDe link werkt één keer. Daarna stelt u een "
                "tweede stap voor het inloggen in. Niemand anders kent uw wachtwoord."
            )
            % words
        )
    if extra:
        body += "\n\n" + extra
    return subject, body


def remember(request: HttpRequest, token: str) -> None:
    """The first visit of a link: keep the token's hash in the session, not the URL."""
    request.session[SESSION_KEY] = token_hash(token)


def remembered(request: HttpRequest) -> str:
    return str(request.session.get(SESSION_KEY) or "")


def forget(request: HttpRequest) -> None:
    request.session.pop(SESSION_KEY, None)


def invitation_for(hashed: str) -> Invitation:
    """The invitation behind a token hash, if it still works; else InvitationInvalid."""
    invitation = (
        Invitation.objects.select_related("client", "account")
        .filter(token_hash=hashed)
        .first()
        if hashed
        else None
    )
    if invitation is None:
        raise InvitationInvalid("unknown")
    if invitation.used_at is not None:
        raise InvitationInvalid("used")
    if invitation.expires_at <= timezone.now():
        raise InvitationInvalid("expired")
    return invitation


@transaction.atomic
def accept(*, hashed: str, username: str, password: str) -> User:
    """Use the invitation up and give its person their own password."""
    invitation = Invitation.objects.select_for_update().get(
        pk=invitation_for(hashed).pk
    )
    if invitation.used_at is not None:  # another request used it a moment ago
        raise InvitationInvalid("used")
    if invitation.representation_id is not None:
        return _representative_accept(invitation, username, password)
    if invitation.client_id:
        user = _client_account(invitation, username)
    else:
        user = User.objects.select_for_update().get(pk=invitation.account_id or 0)
        if user.has_usable_password():
            raise InvitationInvalid("used")
    user.set_password(password)
    user.save()
    if invitation.client_id:
        invitation.client.portal_user = user  # type: ignore[union-attr]
        invitation.client.save(update_fields=["portal_user"])  # type: ignore[union-attr]
    invitation.used_at = timezone.now()
    invitation.save(update_fields=["used_at"])
    record(
        actor=user,
        action=Action.EXECUTE,
        event_type=EventType.INVITATION_ACCEPT,
        practice_id=_practice_of(invitation, user),
        client_id=invitation.client_id,
        object_type="invitation",
        object_id=invitation.pk,
        basis=Basis.SELF if invitation.client_id else Basis.NONE,
    )
    return user


@transaction.atomic
def link_representation(*, hashed: str, user: User) -> Representation:
    """A representative who has a portal account already (a client who is also a parent,
    a mentor of several clients) links the representation to it while signed in with both
    steps: one account, and the choice page picks for whom it acts."""
    invitation = Invitation.objects.select_for_update().get(
        pk=invitation_for(hashed).pk
    )
    if invitation.used_at is not None or invitation.representation_id is None:
        raise InvitationInvalid("used")
    if not user.is_client:
        raise InvitationInvalid("unknown")
    representation = _open_representation(invitation)
    if Client.objects.filter(pk=representation.client_id, portal_user=user).exists():
        raise InvitationInvalid("unknown")  # nobody represents themselves
    _bind(invitation, representation, user)
    return representation


def _representative_accept(
    invitation: Invitation, username: str, password: str
) -> User:
    """The representative's own account (role client: a portal account; what it may do
    for whom is decided per client by `consent.access`). Its e-mail is sealed under a key
    of its own, not the client's: the representative is not shredded with the dossier."""
    representation = _open_representation(invitation)
    first, _sep, last = str(representation.name).partition(" ")
    user = User(
        username=portal_login_name(username),
        role=Role.CLIENT,
        first_name=first,
        last_name=last,
    )
    user.contact_email = str(invitation.email)
    user.set_password(password)
    user.save()
    _bind(invitation, representation, user)
    return user


def _open_representation(invitation: Invitation) -> Representation:
    """The invitation's representation, locked, still waiting for its account."""
    representation = Representation.objects.select_for_update().get(
        invitations=invitation
    )
    if representation.user_id is not None or representation.ended_at is not None:
        raise InvitationInvalid("used")
    return representation


def _bind(invitation: Invitation, representation: Representation, user: User) -> None:
    """The representation now acts through this account; the invitation is used up."""
    representation.user = user
    representation.save(update_fields=["user"])
    invitation.used_at = timezone.now()
    invitation.save(update_fields=["used_at"])
    record(
        actor=user,
        action=Action.EXECUTE,
        event_type=EventType.INVITATION_ACCEPT,
        practice_id=representation.practice_id,
        client_id=representation.client_id,
        object_type="invitation",
        object_id=invitation.pk,
        basis=Basis.REPRESENTATIVE,
        basis_ref=representation.pk,
    )


def _practice_of(invitation: Invitation, user: User) -> Any:
    if invitation.client is not None:
        return invitation.client.practice_id
    return user.practice_id or invitation.created_by.practice_id


def _client_account(invitation: Invitation, username: str) -> User:

    client = Client.objects.select_for_update().get(pk=str(invitation.client_id))
    invitation.client = client
    # No name on the account (#26): the client's name lives, encrypted, on the client
    # record only, so an earlier backup restored after destruction cannot show it; the
    # username is stored as its keyed digest (accounts.models.portal_login_name).
    user = User(
        username=portal_login_name(username),
        role=Role.CLIENT,
        key_ref=client.key_ref,  # the e-mail is shredded with the dossier (#26)
    )
    user.contact_email = str(invitation.email)
    return user


def new_account(
    *,
    username: str,
    name: str,
    email: str,
    role: str,
    practice: Any = None,
    agb_code: str = "",
) -> User:
    """An account someone else makes (inspector, colleague): no usable password until
    its owner accepts the invitation; a password reset cannot reach it before that."""
    first, _sep, last = name.strip().partition(" ")
    user = User(
        username=username,
        first_name=first,
        last_name=last,
        role=role,
        practice=practice,
        agb_code=agb_code,
    )
    user.contact_email = email
    user.set_unusable_password()
    user.save()
    return user
