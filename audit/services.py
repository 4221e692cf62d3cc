"""The only writer of the access log. Every event is appended to its practice's chain."""

from __future__ import annotations

import ipaddress
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from audit.chain import content_hash
from audit.context import current
from audit.models import AccessEvent, Action, Basis, ChainHead, Outcome

SYSTEM_CHAIN = "system"


def _head_for_update(chain: str) -> ChainHead:
    try:
        return ChainHead.objects.select_for_update().get(chain=chain)
    except ChainHead.DoesNotExist:
        try:
            with transaction.atomic():
                ChainHead.objects.create(chain=chain)
        except IntegrityError:
            pass  # another writer created it first
        return ChainHead.objects.select_for_update().get(chain=chain)


def record(
    *,
    actor: Any,
    action: str,
    event_type: str,
    outcome: str = Outcome.SUCCESS,
    practice_id: Any = None,
    client_id: Any = None,
    dossier_id: Any = None,
    object_type: str = "",
    object_id: Any = "",
    fields: list[str] | None = None,
    basis: str = Basis.NONE,
    basis_ref: Any = "",
    checks: dict[str, str] | None = None,
    purpose: str = "",
    responsible: Any = None,
    case_reference: str = "",
    emergency: bool = False,
    recipient: str = "",
    detail: str = "",
) -> AccessEvent:
    """Append one event. Runs inside the caller's transaction, so data and event commit together."""
    context = current.get()
    user = actor if getattr(actor, "is_authenticated", False) else None
    responsible = responsible or user
    values: dict[str, Any] = {
        "occurred_at": timezone.now(),
        "actor_id": user.pk if user else None,
        "actor_name": user.display_name if user else "",
        "actor_role": user.role if user else "",
        "actor_agb": (user.agb_code or "") if user else "",
        "responsible_id": responsible.pk if responsible else None,
        "responsible_name": responsible.display_name if responsible else "",
        "purpose": purpose or _default_purpose(user),
        "practice_id": str(practice_id) if practice_id else None,
        "client_id": str(client_id) if client_id else None,
        "dossier_id": str(dossier_id) if dossier_id else None,
        "action": Action(action).value,
        "event_type": event_type,
        "object_type": object_type,
        "object_id": str(object_id or ""),
        "fields": sorted(fields or []),
        "outcome": Outcome(outcome).value,
        "checks": checks or {},
        "basis": Basis(basis).value,
        "basis_ref": str(basis_ref or ""),
        "case_reference": case_reference,
        "emergency": emergency,
        "recipient": recipient[:300],
        "detail": detail[:300],
        "source_ip": str(ipaddress.ip_address(context.source_ip))
        if context.source_ip
        else None,
        "source_system": "ecd",
        "request_id": context.request_id,
    }
    chain = values["practice_id"] or SYSTEM_CHAIN
    with transaction.atomic():
        head = _head_for_update(chain)
        values["chain"] = chain
        seq = head.seq + 1
        digest = content_hash(head.hash, values)
        event = AccessEvent.objects.create(
            seq=seq, prev_hash=head.hash, hash=digest, **values
        )
        ChainHead.objects.filter(chain=chain).update(seq=seq, hash=digest)
    return event


def _default_purpose(user: Any) -> str:
    if user is None:
        return "authenticatie"
    return {
        "zorgverlener": "zorgverlening",
        "client": "inzage door cliënt",
        "inspecteur": "toezicht IGJ",
    }.get(user.role, "beheer")


def record_many(
    chain: str, events: list[dict[str, Any]], *, batch_size: int = 5000
) -> int:
    """Append many ready-made events to one chain (bulk loads such as `seed_volume`).

    Each dict holds the HASHED_FIELDS except `chain`; hashes are linked exactly as `record`
    links them, under the same row lock, so `verify_audit` treats both alike.
    """
    with transaction.atomic():
        head = _head_for_update(chain)
        seq, prev = head.seq, head.hash
        rows = []
        for values in events:
            values = {**values, "chain": chain}
            seq += 1
            digest = content_hash(prev, values)
            rows.append(AccessEvent(seq=seq, prev_hash=prev, hash=digest, **values))
            prev = digest
        AccessEvent.objects.bulk_create(rows, batch_size=batch_size)
        ChainHead.objects.filter(chain=chain).update(seq=seq, hash=prev)
    return len(rows)
