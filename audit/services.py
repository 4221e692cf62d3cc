"""The only writer of the access log. Every event is appended to its practice's chain."""

from __future__ import annotations

import ipaddress
from functools import cache
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db import IntegrityError, connections, router, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Field
from django.utils import timezone

from audit import day_lines
from audit.chain import content_blob, content_hash
from audit.context import current
from audit.models import (
    LINE_KEY,
    AccessEvent,
    Action,
    Basis,
    ChainHead,
    EventType,
    Outcome,
)

SYSTEM_CHAIN = "system"


def _create_head(chain: str) -> None:
    try:
        with transaction.atomic():
            ChainHead.objects.create(chain=chain)
    except IntegrityError:
        pass  # another writer created it first


def _head_for_update(chain: str) -> ChainHead:
    try:
        return ChainHead.objects.select_for_update().get(chain=chain)
    except ChainHead.DoesNotExist:
        _create_head(chain)
        return ChainHead.objects.select_for_update().get(chain=chain)


LINKED = ("id", "seq", "prev_hash", "hash")  # what the chain adds to an event's content


@cache
def _one_statement_sql() -> tuple[str, tuple[Field[Any, Any], ...]]:
    """UPDATE the chain's head (which locks it) and INSERT the event linked to it, in one
    statement: the head's new hash is computed by PostgreSQL from the old one and the
    event's content_blob, exactly as `content_hash` computes it; the event is counted
    into its who-saw-what line (`audit.day_lines`) by the same statement."""
    connection = connections[router.db_for_write(AccessEvent)]
    quote = connection.ops.quote_name
    fields = tuple(f for f in AccessEvent._meta.concrete_fields if f.name not in LINKED)
    # Char columns go in as text so an over-long value fails as it would with the ORM
    # (an explicit cast to varchar(n) would cut it, and the stored row would not match
    # its hash); the others are cast to their own type (INSERT ... SELECT needs it).
    casts = [
        "text" if f.get_internal_type() == "CharField" else f.db_type(connection)
        for f in fields
    ]
    head, event = quote(ChainHead._meta.db_table), quote(AccessEvent._meta.db_table)
    columns = ", ".join(quote(f.column or f.attname) for f in fields)
    params = ", ".join(f"%s::{cast}" for cast in casts)
    # Names and types come from the models, quoted by the backend; every value is a parameter.
    counted = ", ".join(
        quote(name) for name in (*LINE_KEY, "occurred_at") if name != "day"
    )  # AccessEvent's columns of the same names
    sql = (
        f"WITH link AS (UPDATE {head} SET seq = seq + 1, prev_hash = hash, "  # nosec B608
        "hash = encode(sha256(convert_to(hash || %s, 'UTF8')), 'hex') "
        "WHERE chain = %s RETURNING seq, prev_hash, hash), "
        f"event AS (INSERT INTO {event} (seq, prev_hash, hash, {columns}) "
        f"SELECT link.seq, link.prev_hash, link.hash, {params} FROM link "
        f"RETURNING {counted}), "
        f"line AS ({day_lines.upsert_from_cte('event')}) "
        "SELECT count(*) FROM event"
    )
    return sql, fields


def _append_in_one_statement(
    connection: BaseDatabaseWrapper, values: dict[str, Any]
) -> None:
    """PostgreSQL: one round trip (it commits by itself outside a transaction) that
    also counts the event into its who-saw-what line."""
    sql, fields = _one_statement_sql()
    params = [content_blob(values), values["chain"]]
    params += [f.get_db_prep_save(values[f.name], connection) for f in fields]
    params.append(timezone.get_default_timezone_name())
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        if cursor.fetchone()[0] == 1:
            return
        _create_head(values["chain"])  # a chain's first event
        cursor.execute(sql, params)
        if cursor.fetchone()[0] != 1:
            raise RuntimeError(f"keten {values['chain']}: geen kop om aan te hangen")


def _append_locked(values: dict[str, Any]) -> None:
    """Other databases: lock the head, link in Python, write event and head."""
    with transaction.atomic():
        head = _head_for_update(values["chain"])
        seq = head.seq + 1
        digest = content_hash(head.hash, values)
        AccessEvent.objects.create(seq=seq, prev_hash=head.hash, hash=digest, **values)
        ChainHead.objects.filter(chain=head.chain).update(
            seq=seq, hash=digest, prev_hash=head.hash
        )
        day_lines.add_events([values])


def record(
    *,
    actor: Any,
    action: str,
    event_type: EventType,
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
) -> None:
    """Append one event. Runs inside the caller's transaction, so data and event commit
    together; outside one, the event is committed before this returns.

    `event_type` must be an `EventType` (a free string raises ValueError). An event about
    a record and an access decision goes through `dossiers.access.record_access`, which
    fills basis, checks and case reference from the decision; this is the writer under it.
    An inspector's events carry the case reference even where no record is involved."""
    # Long because it is the one writer of the log: check, chain and append in one place,
    # under one lock.
    context = current.get()
    user = actor if getattr(actor, "is_authenticated", False) else None
    responsible = responsible or user
    if not case_reference and user is not None and user.role == "inspecteur":
        case_reference = _case_of(user)
    values: dict[str, Any] = {
        "occurred_at": timezone.now(),
        "actor_id": user.pk if user else None,
        "actor_name": _chained_name(user),
        "actor_role": user.role if user else "",
        "actor_agb": (user.agb_code or "") if user else "",
        "responsible_id": responsible.pk if responsible else None,
        "responsible_name": _chained_name(responsible),
        "purpose": purpose or _default_purpose(user),
        "practice_id": str(practice_id) if practice_id else None,
        "client_id": str(client_id) if client_id else None,
        "dossier_id": str(dossier_id) if dossier_id else None,
        "action": Action(action).value,
        "event_type": EventType(event_type).value,
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
    values["chain"] = values["practice_id"] or SYSTEM_CHAIN
    connection = connections[router.db_for_write(AccessEvent)]
    if connection.vendor == "postgresql":
        _append_in_one_statement(connection, values)
    else:
        _append_locked(values)


def _case_of(inspector: Any) -> str:
    """The IGJ case an inspector's account was made for (its one mandate, `consent`)."""
    try:
        return str(inspector.mandate.case_reference)
    except ObjectDoesNotExist:
        return ""


def _chained_name(user: Any) -> str:
    """The name an event keeps (and its hash covers). A client's name is left out: the
    access log outlives the dossier (NEN 7513) and may not name a destroyed client (WGBO
    7:455), while the chain may not depend on anything destruction removes. The client is
    still known by actor_id and role; caregivers, inspectors and staff keep their names."""
    if user is None or getattr(user, "role", "") == "client":
        return ""
    return str(user.display_name)


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
        day_lines.add_events(events)
        before = rows[-2].hash if len(rows) > 1 else head.hash
        ChainHead.objects.filter(chain=chain).update(
            seq=seq, hash=prev, prev_hash=before if rows else head.prev_hash
        )
    return len(rows)
