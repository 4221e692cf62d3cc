"""Writes of the practice app: keyword-only, transactional, each with its access event."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.db.models import Max

from accounts.models import Practice, User
from audit.models import Action, Basis, EventType
from audit.services import record
from dossiers.access import Access, record_access
from practice.models import (
    PrincipalDossierCheck,
    PrivacyStatement,
    RoutineRun,
    Subcontract,
)


def routine_note(sender: Any, *, routine: str, ok: bool, detail: str, **_: Any) -> None:
    """Receiver of `ecd.routines.routine_finished`: keep the result for the overview."""
    RoutineRun.objects.create(routine=routine, ok=ok, detail=detail[:200])


@transaction.atomic
def privacy_statement_publish(
    *,
    practice: Practice,
    actor: User,
    contact: str,
    complaints: str,
    purposes: str,
    extra: str,
    phone: str = "",
) -> PrivacyStatement:
    """A new version; earlier versions stay as they were published."""
    Practice.objects.select_for_update().get(pk=practice.pk)
    last = practice.privacy_statements.aggregate(v=Max("version"))["v"] or 0
    statement = PrivacyStatement.objects.create(
        practice=practice,
        version=last + 1,
        contact=contact,
        complaints=complaints,
        purposes=purposes,
        extra=extra,
        phone=phone,
        published_by=actor,
    )
    record(
        actor=actor,
        action=Action.CREATE,
        event_type=EventType.PRIVACY_PUBLISH,
        practice_id=practice.pk,
        object_type="privacy_statement",
        object_id=statement.pk,
        fields=["phone", "contact", "complaints", "purposes", "extra"],
        detail=f"versie {statement.version}",
    )
    return statement


@transaction.atomic
def subcontract_save(
    *,
    access: Access,
    actor: User,
    principal: str,
    agreed_on: datetime.date,
    leading: str,
) -> Subcontract:
    client = access.client
    subcontract, created = Subcontract.objects.update_or_create(
        client=client,
        defaults={
            "practice_id": client.practice_id,
            "principal": principal,
            "agreed_on": agreed_on,
            "leading": leading,
        },
    )
    record_access(
        actor,
        access,
        EventType.SUBCONTRACT_SAVE,
        action=Action.CREATE if created else Action.UPDATE,
        object_type="subcontract",
        object_id=subcontract.pk,
        fields=["principal", "agreed_on", "leading"],
    )
    return subcontract


@transaction.atomic
def principal_check_add(
    *,
    subcontract: Subcontract,
    actor: User,
    checked_on: datetime.date,
    items: dict[str, dict[str, str]],
) -> PrincipalDossierCheck:
    check = PrincipalDossierCheck.objects.create(
        subcontract=subcontract, checked_on=checked_on, items=items, checked_by=actor
    )
    record(
        actor=actor,
        action=Action.CREATE,
        event_type=EventType.SUBCONTRACT_CHECK,
        practice_id=subcontract.practice_id,
        client_id=subcontract.client_id,
        object_type="principal_dossier_check",
        object_id=check.pk,
        fields=sorted(items),
        basis=Basis.OWN,
    )
    return check
