"""What happened → who is told. Each trigger writes outbox rows in the caller's transaction
(so a rolled-back action tells nobody) and asks for delivery once that transaction commits;
nothing here connects to a mail server (`notifications.delivery` does, later)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import Role, User
from audit.models import Action, Basis, EventType
from audit.services import record
from notifications import sender
from notifications.models import FOR_ROLE, MANDATORY, Kind, Notification, OptOut

if TYPE_CHECKING:
    from dossiers.access import Access
    from dossiers.models import ExportJob
    from portal.models import RightsRequest

DEADLINE_WARNING_DAYS = 7
# A read by a colleague with a grant or by an inspector: "anyone other than the own practice".
OTHERS = (Basis.GRANT, Basis.INSPECTOR)


def wants(user: User, kind: str) -> bool:
    """Mandatory kinds always; optional ones unless the person turned them off."""
    if kind in MANDATORY:
        return True
    return not OptOut.objects.filter(user=user, kind=kind).exists()


def enqueue(recipients: Iterable[User | None], kind: str, *, dedupe: str = "") -> int:
    """Queue one notification for each active recipient who wants this kind. With `dedupe`,
    at most one row ever exists per key and recipient (an existing one is left alone).
    Returns the number of rows queued."""
    users = {u.pk: u for u in recipients if u is not None and u.is_active}
    keys = {pk: f"{dedupe}:{pk}" for pk in users} if dedupe else {}
    if keys:
        done = set(
            Notification.objects.filter(dedupe_key__in=keys.values()).values_list(
                "dedupe_key", flat=True
            )
        )
        users = {pk: u for pk, u in users.items() if keys[pk] not in done}
    rows = [
        Notification(recipient=user, kind=kind, dedupe_key=keys.get(pk))
        for pk, user in users.items()
        if wants(user, kind)
    ]
    if not rows:
        return 0
    # ignore_conflicts: two requests racing to the same key leave one row
    Notification.objects.bulk_create(rows, ignore_conflicts=bool(keys))
    transaction.on_commit(sender.after_commit)
    return len(rows)


def caregivers_of(practice_id: Any) -> QuerySet[User]:
    return User.objects.filter(
        practice_id=practice_id, role=Role.CAREGIVER, is_active=True
    )


def request_filed(request: RightsRequest) -> None:
    """A rights request was filed: its practice's zorgverleners (mandatory)."""
    enqueue(caregivers_of(request.practice_id), Kind.REQUEST_FILED)


def request_decided(request: RightsRequest) -> None:
    """A request was decided: the client's portal account, and whoever filed it if that
    was someone else (mandatory)."""
    client = request.client  # its portal account, reached without importing dossiers
    filer = request.filed_by if request.filed_by.role != Role.CAREGIVER else None
    enqueue([client.portal_user, filer], Kind.REQUEST_DECIDED)


def export_ready(job: ExportJob) -> None:
    """An afschrift the worker made: to whoever asked for it (optional)."""
    enqueue([job.created_by], Kind.EXPORT_READY)


def seen_by_other(access: Access) -> None:
    """Someone outside the client's own practice (a colleague with a grant, an inspector)
    read or used the dossier: the client, at most once per day (optional). After the
    day's first, a read by others costs one indexed lookup; any other read costs nothing."""
    portal_user_id = access.client.portal_user_id
    if access.basis not in OTHERS or not portal_user_id:
        return
    dedupe = f"{Kind.READ_BY_OTHER}:{access.client.pk}:{timezone.localdate()}"
    if Notification.objects.filter(dedupe_key=f"{dedupe}:{portal_user_id}").exists():
        return
    enqueue(
        [User.objects.filter(pk=portal_user_id).first()],
        Kind.READ_BY_OTHER,
        dedupe=dedupe,
    )


def deadline_reminders(today: datetime.date | None = None) -> int:
    """The daily routine: each open request whose deadline is within 7 days, or passed,
    tells its practice's zorgverleners once per stage. Returns the rows queued."""
    # portal's models are the floor of portal (docs/layers.md); read here, when run.
    from portal.models import RequestStatus, RightsRequest

    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=DEADLINE_WARNING_DAYS)
    queued = 0
    for request in RightsRequest.objects.filter(
        status=RequestStatus.OPEN, deadline__lte=horizon
    ).only("pk", "practice_id", "deadline"):
        kind = Kind.DEADLINE_PASSED if request.deadline < today else Kind.DEADLINE_SOON
        with transaction.atomic():
            queued += enqueue(
                caregivers_of(request.practice_id),
                kind,
                dedupe=f"{kind}:{request.pk}",
            )
    return queued


def kinds_for(user: User) -> tuple[str, ...]:
    return FOR_ROLE.get(user.role, ())


def turned_off(user: User) -> set[str]:
    return set(OptOut.objects.filter(user=user).values_list("kind", flat=True))


@transaction.atomic
def preferences_save(*, user: User, wanted: set[str]) -> None:
    """Turn the user's optional kinds on (in `wanted`) or off; mandatory ones stay on."""
    optional = [k for k in kinds_for(user) if k not in MANDATORY]
    off = [k for k in optional if k not in wanted]
    OptOut.objects.filter(user=user).exclude(kind__in=off).delete()
    OptOut.objects.bulk_create(
        [OptOut(user=user, kind=k) for k in off], ignore_conflicts=True
    )
    record(
        actor=user,
        action=Action.UPDATE,
        event_type=EventType.NOTIFICATIONS_PREFERENCES,
        object_type="user",
        practice_id=user.practice_id,
        fields=sorted(optional),
        detail=f"uit: {', '.join(off)}" if off else "alles aan",
    )
