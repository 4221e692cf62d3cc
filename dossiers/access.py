"""The one place that decides who may see or change a dossier, and logs that it happened.

Views never fetch clients or dossiers themselves: they call `dossier_for` or `client_for`,
which answer 404 to anyone without access (never revealing that the object exists) and
write the access event, denied attempts included.

`record_access` is the one way an access decision becomes an event: every read, write,
denial and copy of a record goes through it, so basis, basis reference, the four checks
and an inspector's case reference are filled in the same way everywhere. It lives here,
next to `Access`, because `audit` sits below `dossiers` and may not know an `Access`;
`audit.services.record` is the writer under it.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

from audit.models import Action, Basis, EventType, Outcome
from audit.services import record
from dossiers.models import Client, Dossier
from notifications.services import seen_by_other


@dataclass(frozen=True)
class Access:
    """What one user may do with one client's record, and on what basis."""

    client: Client
    basis: str
    basis_ref: str = ""
    can_write: bool = False
    case_reference: str = ""

    @property
    def dossier(self) -> Dossier:
        return self.client.dossier

    @property
    def dossier_id(self) -> uuid.UUID | None:
        try:
            return self.client.dossier.pk
        except Dossier.DoesNotExist:
            return None

    def checks(self, allowed: bool = True) -> dict[str, str]:
        verdict = "ok" if allowed else "geweigerd"
        return {
            "autorisatie": verdict,
            "behandelrelatie": "ok"
            if self.basis in (Basis.OWN, Basis.GRANT)
            else "nvt",
            "toestemming": "ok" if self.basis == Basis.GRANT else "nvt",
            "noodprocedure": "nee",
        }


DENIED_CHECKS = {"autorisatie": "geweigerd"}


def record_access(
    actor: Any,
    access: Access | None,
    event_type: EventType,
    *,
    action: str,
    outcome: str = Outcome.SUCCESS,
    client: Client | None = None,
    object_type: str = "",
    object_id: Any = "",
    fields: list[str] | None = None,
    checks: dict[str, str] | None = None,
    recipient: str = "",
    detail: str = "",
    client_id: Any = None,
    dossier_id: Any = None,
) -> None:
    """Write the event of one access decision about one record.

    With an `access`, the record, basis, basis reference, checks and case reference come
    from it; a denial has no access and names only the `client` asked for (if it exists)
    with the denied checks. `checks` overrides the derived checks (a reason for a refusal);
    `client_id`/`dossier_id` name a record that is gone (destruction)."""
    # Long because it is the one mapping from an access decision to every field of its
    # event.
    client = access.client if access is not None else client
    if access is not None:
        derived = access.checks(allowed=outcome == Outcome.SUCCESS)
    else:
        derived = DENIED_CHECKS
    record(
        actor=actor,
        action=action,
        event_type=event_type,
        outcome=outcome,
        practice_id=client.practice_id if client is not None else None,
        client_id=client_id or (client.pk if client is not None else None),
        dossier_id=dossier_id or (access.dossier_id if access is not None else None),
        object_type=object_type,
        object_id=object_id,
        fields=fields,
        basis=access.basis if access is not None else Basis.NONE,
        basis_ref=access.basis_ref if access is not None else "",
        checks=checks or derived,
        case_reference=access.case_reference if access is not None else "",
        recipient=recipient,
        detail=detail,
    )


@dataclass(frozen=True)
class OtherBasis:
    """A way besides ownership to reach a client: a colleague's grant, an inspector's
    mandate, the client's own portal account, a representative. The app that keeps those
    rows registers it at start-up (`consent.apps`), so this module needs no import of that
    app; `resolve` below stays the one place that decides."""

    access: Callable[[Any, Client], Access | None]  # for one client, valid now
    client_ids: Callable[[Any], Iterable[Any]]  # the clients a list may show
    may_export: Callable[[Access], bool] = lambda access: False
    # The clients a portal account may act for besides its own record (representatives).
    portal_client_ids: Callable[[Any], Any] | None = None


OTHER_BASES: list[OtherBasis] = []


def register_basis(basis: OtherBasis) -> None:
    if basis not in OTHER_BASES:
        OTHER_BASES.append(basis)


def resolve(user: Any, client: Client) -> Access | None:
    """Deny by default: return an Access only for a basis that is known and valid now."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    if user.is_caregiver and user.practice_id == client.practice_id:
        return Access(client=client, basis=Basis.OWN, can_write=True)
    for other in OTHER_BASES:
        found = other.access(user, client)
        if found is not None:
            return found
    return None


def _one(clients: QuerySet[Client]) -> Client | None:
    """The one client (with dossier) a unique filter names, or None. Unordered on purpose:
    `.first()` would order by the model's default (family name) for nothing, and compiling
    that order is a tenth of what a dossier page costs."""
    return next(iter(clients.select_related("dossier").order_by()[:1]), None)


def _parse(value: Any) -> uuid.UUID | None:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError:
        return None


def deny(
    request: HttpRequest,
    *,
    client: Client | None,
    part: str,
    object_id: Any,
    write: bool,
) -> Http404:
    record_access(
        request.user,
        None,
        EventType.ACCESS_DENIED,
        action=Action.UPDATE if write else Action.READ,
        outcome=Outcome.DENIED,
        client=client,
        object_type=part,
        object_id=object_id,
    )
    return Http404()


def row_in(
    request: HttpRequest, access: Access, rows: QuerySet[Any], pk: Any, *, part: str
) -> Any:
    """A row inside a record the user may reach (an entry, a grant, a request), or a logged 404.

    `rows` must already be limited to that record (its dossier or client).
    """
    row = rows.filter(pk=pk).first()
    if row is None:
        raise deny(
            request,
            client=access.client,
            part=part,
            object_id=pk,
            write=request.method not in ("GET", "HEAD"),
        )
    return row


def log_list(
    request: HttpRequest,
    *,
    part: str,
    count: int,
    event_type: EventType,
    fields: list[str] | None = None,
    searched: bool = False,
) -> None:
    """A list that names clients (client list, search, retention list, request queue):
    one event for the whole page, the number of results in `detail`, never the names.
    No single record is involved, so this is not an access decision (`record_access`)."""
    record(
        actor=request.user,
        action=Action.EXECUTE if searched else Action.READ,
        event_type=event_type,
        practice_id=getattr(request.user, "practice_id", None),
        object_type=part,
        fields=fields or [],
        detail=_("%(n)s resultaten") % {"n": count},
    )


def log_read(
    request: HttpRequest,
    access: Access,
    *,
    part: str,
    object_id: Any = "",
    event_type: EventType | None = None,
) -> None:
    """The read of `part` (by default its event type is "<part>.view")."""
    if not settings.ECD_AUDIT_READS_ENABLED:  # only ever off in a benchmark
        return
    record_access(
        request.user,
        access,
        event_type or EventType.view_of(part),
        action=Action.READ,
        object_type=part,
        object_id=object_id or access.client.pk,
    )
    seen_by_other(access)  # a colleague's or inspector's read tells the client (#30)


class DossierRestricted(PermissionDenied):
    """AVG art. 18: a restricted dossier is read-only until the restriction is lifted."""


def _refuse_if_restricted(
    request: HttpRequest, access: Access, *, write: bool, part: str
) -> None:
    dossier = getattr(access.client, "dossier", None) if access.dossier_id else None
    if write and dossier is not None and dossier.restricted_at is not None:
        record_access(
            request.user,
            access,
            EventType.ACCESS_DENIED,
            action=Action.UPDATE,
            outcome=Outcome.DENIED,
            object_type=part,
            checks={"autorisatie": "geweigerd: verwerking beperkt"},
        )
        raise DossierRestricted


def _allowed(
    access: Access | None, *, write: bool, bases: tuple[str, ...] | None
) -> Access | None:
    """Narrow an access to what this view needs: writing, or only some bases."""
    if access is None or (write and not access.can_write):
        return None
    if bases is not None and access.basis not in bases:
        return None
    return access


def client_for(
    request: HttpRequest,
    client_id: Any,
    *,
    write: bool = False,
    part: str = "client",
    log: bool = True,
    bases: tuple[str, ...] | None = None,
    processing: bool = True,
) -> Access:
    """The client's record for this user, or 404. Logs the read (GET) or the denial.

    `processing=False` for a write that does not process the health data (deciding a
    rights request): AVG art. 18 blocks processing, not the client's rights."""
    pk = _parse(client_id)
    client = _one(Client.objects.filter(pk=pk)) if pk else None
    return _checked(
        request,
        client,
        client_id,
        write=write,
        part=part,
        log=log,
        bases=bases,
        processing=processing,
    )


def _checked(
    request: HttpRequest,
    client: Client | None,
    asked_for: Any,
    *,
    write: bool,
    part: str,
    log: bool,
    bases: tuple[str, ...] | None,
    read_id: Any = "",
    event_type: EventType | None = None,
    processing: bool = True,
) -> Access:
    """What every way to a record shares: decide access, log a denial under what was asked
    for, refuse writes to a restricted dossier, log a read (of `read_id`, else the client)."""
    access = _allowed(
        resolve(request.user, client) if client else None, write=write, bases=bases
    )
    if access is None:
        raise deny(request, client=client, part=part, object_id=asked_for, write=write)
    _refuse_if_restricted(request, access, write=write and processing, part=part)
    if log:
        _log_shown(request, access, part=part, read_id=read_id, event_type=event_type)
    return access


def _log_shown(
    request: HttpRequest,
    access: Access,
    *,
    part: str,
    read_id: Any,
    event_type: EventType | None,
) -> None:
    """A GET shows the record: logged now. A POST may answer with a page that shows stored
    data (a form shown again, the conflict page): `dossiers.middleware.ReadsShownMiddleware`
    logs that read once the answer is known."""
    if request.method in ("GET", "HEAD"):
        log_read(request, access, part=part, object_id=read_id, event_type=event_type)
    else:
        request.dossier_shown = Shown(access, part, read_id, event_type)  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Shown:
    """What a non-GET request reached, to log as a read if its answer shows it."""

    access: Access
    part: str
    read_id: Any
    event_type: EventType | None


PORTAL_BASES = (Basis.SELF, Basis.REPRESENTATIVE)
ACTING_FOR = "portal_acting_for"  # session key: the client chosen on the choice page
SEVERAL = "portal_several"  # session key: the choice page offered more than one


class ChoiceNeeded(Exception):
    """The portal user may act for more than one client and has not chosen yet
    (`portal.middleware` sends them to the choice page)."""


def _portal_candidates(user: Any) -> QuerySet[Client]:
    """The clients a portal account might act for: its own record and the clients it
    represents within a current window. Only a first cut: `resolve` decides."""
    represented = Q(portal_user_id=user.pk)
    for other in OTHER_BASES:
        if other.portal_client_ids is not None:
            represented |= Q(pk__in=other.portal_client_ids(user))
    return Client.objects.filter(represented)


def portal_choices(user: Any) -> list[Access]:
    """Every client this portal account may act for now (its own record, the clients it
    represents), each decided by `resolve`: for the choice page. Logs nothing."""
    if not getattr(user, "is_authenticated", False):
        return []
    found = [resolve(user, client) for client in _portal_candidates(user).order_by()]
    return [a for a in found if a is not None and a.basis in PORTAL_BASES]


def _acting_for(request: HttpRequest) -> Client | None:
    """The client the portal works on now: the one chosen in this session, else the only
    candidate; none chosen among several raises ChoiceNeeded. Access is decided after."""
    user = request.user
    if not getattr(user, "is_authenticated", False):
        return None
    chosen = _parse(request.session.get(ACTING_FOR, ""))
    if chosen is not None:
        return _one(_portal_candidates(user).filter(pk=chosen))
    clients = list(_portal_candidates(user).select_related("dossier").order_by()[:2])
    if len(clients) > 1:
        raise ChoiceNeeded
    return clients[0] if clients else None


def own_record_for(request: HttpRequest, *, part: str, object_id: Any = "") -> Access:
    """The record the portal works on (the client's own, or that of the client a
    representative acts for now), or 404: checked and logged like any other record, on
    the basis "self" or "representative". Deny by default: the session's choice is
    decided again on every request, and forgotten when it no longer holds. The read is
    logged under `object_id` when the page shows one row (an attachment).

    Remembers the dossier on the request, so the portal menu's link to the afschrift
    (`accounts.context_processors`) need not look it up again."""
    client = _acting_for(request)
    asked_for = client.pk if client else ""
    try:
        access = _checked(
            request,
            client,
            object_id or asked_for,
            write=False,
            part=part,
            log=True,
            bases=PORTAL_BASES,
            read_id=object_id,
        )
    except Http404:
        request.session.pop(ACTING_FOR, None)
        raise
    if access.dossier_id is None:
        raise deny(
            request, client=access.client, part=part, object_id=asked_for, write=False
        )
    request.own_dossier_id = access.dossier_id  # type: ignore[attr-defined]
    request.own_practice_id = access.client.practice_id  # type: ignore[attr-defined]
    request.portal_access = access  # type: ignore[attr-defined]
    return access


def acting_for_dossier(request: HttpRequest) -> tuple[Any, Any]:
    """(dossier id, practice id) for the portal menu on a page that did not call
    `own_record_for`; (None, None) when there is no single choice. Only a link: the page
    behind it decides access."""
    try:
        client = _acting_for(request)
    except ChoiceNeeded:
        return None, None
    if client is None:
        return None, None
    return (
        Dossier.objects.filter(client_id=client.pk)
        .values_list("pk", "practice_id")
        .first()
    ) or (None, None)


def dossier_for(
    request: HttpRequest,
    dossier_id: Any,
    *,
    write: bool = False,
    part: str = "dossier",
    object_id: Any = "",
    log: bool = True,
    bases: tuple[str, ...] | None = None,
    event_type: EventType | None = None,
) -> Access:
    """The dossier for this user, or 404. Logs the read (GET) or the denial."""
    pk = _parse(dossier_id)
    client = _one(Client.objects.filter(dossier__pk=pk)) if pk else None
    return _checked(
        request,
        client,
        object_id or dossier_id,
        write=write,
        part=part,
        log=log,
        bases=bases,
        read_id=object_id or pk,
        event_type=event_type,
    )


def clients_visible_to(user: Any) -> QuerySet[Client]:
    """The clients a list or search may show this user: deny by default."""
    if not getattr(user, "is_authenticated", False):
        return Client.objects.none()
    if not (user.is_caregiver or user.is_inspector):
        return Client.objects.none()
    others = [pk for other in OTHER_BASES for pk in other.client_ids(user)]
    if user.is_caregiver:
        return Client.objects.filter(Q(practice_id=user.practice_id) | Q(pk__in=others))
    return Client.objects.filter(pk__in=others)


EXPORT_BASES = (Basis.OWN, Basis.SELF, Basis.REPRESENTATIVE, Basis.INSPECTOR)


def export_access(
    request: HttpRequest, dossier_id: Any, *, log: bool = False
) -> Access:
    """Who may take a copy: the owner, the client, their representative, and an inspector
    whose mandate says so.

    Downloads log themselves as exports (with recipient and format); pages pass log=True.
    """
    access = dossier_for(
        request, dossier_id, part="export", bases=EXPORT_BASES, log=False
    )
    if access.basis not in (Basis.OWN, Basis.SELF) and not any(
        other.may_export(access) for other in OTHER_BASES
    ):
        raise deny(
            request,
            client=access.client,
            part="export",
            object_id=dossier_id,
            write=False,
        )
    if log:
        _log_shown(request, access, part="export", read_id="", event_type=None)
    return access
