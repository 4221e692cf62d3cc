"""The one place that decides who may see or change a dossier, and logs that it happened.

Views never fetch clients or dossiers themselves: they call `dossier_for` or `client_for`,
which answer 404 to anyone without access (never revealing that the object exists) and
write the access event, denied attempts included.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

from audit.models import Action, Basis, Outcome
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


def resolve(user: Any, client: Client) -> Access | None:
    """Deny by default: return an Access only for a basis that is known and valid now."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    if user.is_caregiver and user.practice_id == client.practice_id:
        return Access(client=client, basis=Basis.OWN, can_write=True)
    from consent.access import grant_access, inspector_access, own_record_access

    for rule in (grant_access, inspector_access, own_record_access):
        found = rule(user, client)
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
    record(
        actor=request.user,
        action=Action.UPDATE if write else Action.READ,
        event_type="access.denied",
        outcome=Outcome.DENIED,
        practice_id=client.practice_id if client else None,
        client_id=client.pk if client else None,
        object_type=part,
        object_id=object_id,
        checks={"autorisatie": "geweigerd"},
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
    event_type: str = "",
    fields: list[str] | None = None,
    searched: bool = False,
) -> None:
    """A list that names clients (client list, search, retention list, request queue):
    one event for the whole page, the number of results in `detail`, never the names."""
    record(
        actor=request.user,
        action=Action.EXECUTE if searched else Action.READ,
        event_type=event_type or f"{part}.list",
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
    event_type: str = "",
) -> None:
    if not settings.ECD_AUDIT_READS_ENABLED:  # only ever off in a benchmark
        return
    record(
        actor=request.user,
        action=Action.READ,
        event_type=event_type or f"{part}.view",
        practice_id=access.client.practice_id,
        client_id=access.client.pk,
        dossier_id=access.dossier_id,
        object_type=part,
        object_id=object_id or access.client.pk,
        basis=access.basis,
        basis_ref=access.basis_ref,
        checks=access.checks(),
        case_reference=access.case_reference,
    )
    seen_by_other(access)  # a colleague's or inspector's read tells the client (#30)


class DossierRestricted(PermissionDenied):
    """AVG art. 18: a restricted dossier is read-only until the restriction is lifted."""


def _refuse_if_restricted(
    request: HttpRequest, access: Access, *, write: bool, part: str
) -> None:
    dossier = getattr(access.client, "dossier", None) if access.dossier_id else None
    if write and dossier is not None and dossier.restricted_at is not None:
        record(
            actor=request.user,
            action=Action.UPDATE,
            event_type="access.denied",
            outcome=Outcome.DENIED,
            practice_id=access.client.practice_id,
            client_id=access.client.pk,
            dossier_id=dossier.pk,
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
    event_type: str = "",
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
    request: HttpRequest, access: Access, *, part: str, read_id: Any, event_type: str
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
    event_type: str


def own_record_for(request: HttpRequest, *, part: str) -> Access:
    """The signed-in client's own record (the portal), or 404: found by the portal account
    in one query, then checked and logged like any other record, on the basis "self".

    Remembers the dossier on the request, so the portal menu's link to the afschrift
    (`accounts.context_processors`) need not look it up again."""
    client = (
        _one(Client.objects.filter(portal_user_id=request.user.pk))
        if getattr(request.user, "is_authenticated", False)
        else None
    )
    asked_for = client.pk if client else ""
    access = _checked(
        request,
        client,
        asked_for,
        write=False,
        part=part,
        log=True,
        bases=(Basis.SELF,),
    )
    if access.dossier_id is None:
        raise deny(
            request, client=access.client, part=part, object_id=asked_for, write=False
        )
    request.own_dossier_id = access.dossier_id  # type: ignore[attr-defined]
    request.own_practice_id = access.client.practice_id  # type: ignore[attr-defined]
    return access


def dossier_for(
    request: HttpRequest,
    dossier_id: Any,
    *,
    write: bool = False,
    part: str = "dossier",
    object_id: Any = "",
    log: bool = True,
    bases: tuple[str, ...] | None = None,
    event_type: str = "",
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
    if user.is_caregiver:
        from consent.access import granted_client_ids

        return Client.objects.filter(
            Q(practice_id=user.practice_id) | Q(pk__in=granted_client_ids(user))
        )
    if user.is_inspector:
        from consent.access import inspector_client_ids

        return Client.objects.filter(pk__in=inspector_client_ids(user))
    return Client.objects.none()


EXPORT_BASES = (Basis.OWN, Basis.SELF, Basis.INSPECTOR)


def export_access(
    request: HttpRequest, dossier_id: Any, *, log: bool = False
) -> Access:
    """Who may take a copy: the owner, the client, and an inspector whose mandate says so.

    Downloads log themselves as exports (with recipient and format); pages pass log=True.
    """
    access = dossier_for(
        request, dossier_id, part="export", bases=EXPORT_BASES, log=False
    )
    if access.basis == Basis.INSPECTOR:
        from consent.models import InspectorMandate

        if not InspectorMandate.objects.filter(
            pk=access.basis_ref, may_export=True
        ).exists():
            raise deny(
                request,
                client=access.client,
                part="export",
                object_id=dossier_id,
                write=False,
            )
    if log:
        _log_shown(request, access, part="export", read_id="", event_type="")
    return access
