"""The readiness overview ("verantwoording dossiervoering"): how the practice keeps its
dossiers, per dossier and for the practice as a whole, as an inspector would ask for it."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django_otp import devices_for_user

from accounts.models import Practice, User
from dossiers.clients import clients_in_order
from dossiers.completeness import missing_elements
from dossiers.lifecycle import retention_end
from dossiers.models import (
    CareMoment,
    Client,
    Discussion,
    Experience,
    Goal,
    Treatment,
)
from keystore.crypto import master_keys
from keystore.models import DataKey
from portal.models import RequestStatus, RightsRequest
from practice.models import PrincipalDossierCheck, PrivacyStatement, Routine, RoutineRun

DEADLINE_WARNING_DAYS = 7


@dataclass
class DossierReadiness:
    client: Client
    missing: list[str]
    requests_due: list[RightsRequest]
    retention_passed: bool
    retention_until: datetime.date | None
    subcontract: Any = None
    last_check: PrincipalDossierCheck | None = None

    @property
    def in_order(self) -> bool:
        return not (self.missing or self.requests_due or self.retention_passed)


@dataclass
class PracticeFacts:
    routines: dict[str, RoutineRun | None]
    accounts: list[tuple[User, bool]]
    master_key_id: str
    master_key_since: datetime.datetime | None
    privacy: PrivacyStatement | None
    notes: list[str] = field(default_factory=list)


def _by_dossier(
    model: type[Any], dossier_ids: list[Any], **related: Any
) -> dict[Any, list[Any]]:
    grouped: dict[Any, list[Any]] = {pk: [] for pk in dossier_ids}
    rows = model.objects.filter(dossier_id__in=dossier_ids)
    if related:
        rows = rows.prefetch_related(*related["prefetch"])
    for row in rows:
        grouped[row.dossier_id].append(row)
    return grouped


def dossier_rows(
    clients: QuerySet[Client], today: datetime.date
) -> list[DossierReadiness]:
    """One row per client with a dossier, in a fixed number of queries."""
    # Long because each column of the overview is one check, written out.
    listed = clients_in_order(
        clients.exclude(dossier__isnull=True).select_related("dossier", "subcontract")
    )
    ids = [client.dossier.pk for client in listed]
    goals = _by_dossier(Goal, ids)
    treatments = _by_dossier(Treatment, ids, prefetch=["consents"])
    discussions = _by_dossier(Discussion, ids)
    experiences = _by_dossier(Experience, ids)
    moments = dict(
        CareMoment.objects.filter(dossier_id__in=ids)
        .values_list("dossier_id")
        .annotate(n=Count("id"))
        .values_list("dossier_id", "n")
    )
    checks: dict[Any, PrincipalDossierCheck] = {}
    for check in PrincipalDossierCheck.objects.filter(
        subcontract__client__in=[c.pk for c in listed]
    ).order_by("checked_on", "created_at"):
        checks[check.subcontract_id] = check  # the newest stays
    horizon = today + datetime.timedelta(days=DEADLINE_WARNING_DAYS)
    due: dict[Any, list[RightsRequest]] = {}
    for request in RightsRequest.objects.filter(
        client__in=[c.pk for c in listed],
        status=RequestStatus.OPEN,
        deadline__lte=horizon,
    ):
        due.setdefault(request.client_id, []).append(request)
    rows = []
    for client in listed:
        dossier = client.dossier
        until = retention_end(dossier)
        subcontract = getattr(client, "subcontract", None)
        rows.append(
            DossierReadiness(
                client=client,
                missing=missing_elements(
                    client=client,
                    dossier=dossier,
                    goals=goals[dossier.pk],
                    treatments=treatments[dossier.pk],
                    discussions=discussions[dossier.pk],
                    experiences=experiences[dossier.pk],
                    care_moment_count=moments.get(dossier.pk, 0),
                    today=today,
                ),
                requests_due=due.get(client.pk, []),
                retention_passed=until < today,
                retention_until=until,
                subcontract=subcontract,
                last_check=checks.get(subcontract.pk) if subcontract else None,
            )
        )
    return rows


def practice_facts(practice: Practice) -> PracticeFacts:
    routines = {
        routine: RoutineRun.objects.filter(routine=routine)
        .order_by("-finished_at")
        .first()
        for routine in Routine.values
    }
    accounts = [
        (user, any(True for _ in devices_for_user(user, confirmed=True)))
        for user in User.objects.filter(
            Q(practice=practice)
            | Q(client_record__practice=practice)
            | Q(mandate__practice=practice),
            is_active=True,
        )
        .distinct()
        .order_by("role", "username")
    ]
    newest = master_keys()[0].key_id
    since = (
        DataKey.objects.using("keys")
        .filter(master_key_id=newest)
        .order_by("created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    return PracticeFacts(
        routines=routines,
        accounts=accounts,
        master_key_id=newest,
        master_key_since=since,
        privacy=practice.privacy_statements.first(),
    )


def age_in_days(moment: datetime.datetime | None) -> int | None:
    if moment is None:
        return None
    return (timezone.now() - moment).days
