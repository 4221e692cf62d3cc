"""Hash chain of access events: content hash, verification, signed checkpoints."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from django.conf import settings

from audit.models import AccessEvent

GENESIS = "0" * 64
# The fields that make up an event's content; seq is left out on purpose so that
# reordering shows as a broken link rather than as a changed row.
HASHED_FIELDS = (
    "chain", "occurred_at", "actor_id", "actor_name", "actor_role", "actor_agb",
    "responsible_id", "responsible_name", "purpose", "practice_id", "client_id",
    "dossier_id", "action", "event_type", "object_type", "object_id", "fields",
    "outcome", "checks", "basis", "basis_ref", "case_reference", "emergency",
    "recipient", "detail", "source_ip", "source_system", "request_id",
)  # fmt: skip


def _canon(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%dT%H:%M:%S.%f")  # always UTC in the database
    if value is None or isinstance(value, (bool, int, float, str, list, dict)):
        return value
    return str(value)


def content_blob(values: dict[str, Any]) -> str:
    """An event's content as canonical ASCII JSON: what its hash covers after prev_hash."""
    content = {name: _canon(values.get(name)) for name in HASHED_FIELDS}
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=True)


def content_hash(prev_hash: str, values: dict[str, Any]) -> str:
    """sha256 of prev_hash + content_blob, hex (PostgreSQL computes the same in one
    statement when `audit.services.record` appends: see `_append_in_one_statement`)."""
    return hashlib.sha256((prev_hash + content_blob(values)).encode()).hexdigest()


@dataclass(frozen=True)
class Break:
    chain: str
    seq: int
    event_id: int | None
    kind: str  # changed, removed, inserted, reordered, truncated, rewritten

    def __str__(self) -> str:
        return f"keten {self.chain}: gebeurtenis #{self.seq} (id {self.event_id}): {self.kind}"


def verify_rows(
    chain: str, rows: Iterable[dict[str, Any]], start_hash: str = GENESIS
) -> Break | None:
    """Rows in seq order; returns the first break, or None when the chain is whole."""
    rows = list(rows) if not isinstance(rows, list) else rows
    hashes = [row["hash"] for row in rows]
    position = {h: i for i, h in enumerate(hashes)}
    expected_prev = start_hash
    before_prev = None
    prev_seq = None
    for i, row in enumerate(rows):
        if content_hash(row["prev_hash"], row) != row["hash"]:
            return Break(chain, row["seq"], row["id"], "changed")
        if row["prev_hash"] != expected_prev:
            nxt = rows[i + 1] if i + 1 < len(rows) else None
            if prev_seq is not None and row["seq"] > prev_seq + 1:
                return Break(chain, row["seq"], row["id"], "removed")
            if position.get(row["prev_hash"], -1) > i:
                return Break(chain, row["seq"], row["id"], "reordered")
            if before_prev is not None and row["prev_hash"] == before_prev:
                prev_row = rows[i - 1]
                return Break(chain, prev_row["seq"], prev_row["id"], "inserted")
            if nxt is not None and nxt["prev_hash"] == expected_prev:
                return Break(chain, row["seq"], row["id"], "inserted")
            return Break(chain, row["seq"], row["id"], "removed")
        before_prev, expected_prev, prev_seq = expected_prev, row["hash"], row["seq"]
    return None


def iter_chain(
    chain: str, *, after_seq: int = 0, batch: int = 20_000
) -> Iterator[dict[str, Any]]:

    names = ("id", "seq", "prev_hash", "hash", *HASHED_FIELDS)
    last = after_seq
    while True:
        page = list(
            AccessEvent.objects.filter(chain=chain, seq__gt=last)
            .order_by("seq")
            .values(*names)[:batch]
        )
        if not page:
            return
        yield from page
        last = page[-1]["seq"]


def verify_chain(chain: str, checkpoint: dict[str, Any] | None = None) -> Break | None:

    rows = list(iter_chain(chain))
    found = verify_rows(chain, rows)
    if found:
        return found
    if checkpoint:
        seq, digest = int(checkpoint["seq"]), checkpoint["hash"]
        last_seq = rows[-1]["seq"] if rows else 0
        if last_seq < seq:
            return Break(chain, last_seq + 1, None, "truncated")
        at = next((r for r in rows if r["seq"] == seq), None)
        if at is None or at["hash"] != digest:
            ev = (
                AccessEvent.objects.filter(chain=chain, seq=seq)
                .values_list("id", flat=True)
                .first()
            )
            return Break(chain, seq, ev, "rewritten")
    return None


def verify_chain_since(
    chain: str, checkpoint: dict[str, Any]
) -> tuple[Break | None, int]:
    """Incremental check: the checkpointed event still carries the signed hash, and every
    event after it links on from there. Returns the first break and how many events it read.
    Events before the checkpoint were covered when it was written; the full run re-reads them."""

    seq, digest = int(checkpoint["seq"]), checkpoint["hash"]
    names = ("id", "seq", "prev_hash", "hash", *HASHED_FIELDS)
    if seq == 0:
        rows = list(iter_chain(chain))
        return verify_rows(chain, rows), len(rows)
    at = AccessEvent.objects.filter(chain=chain, seq=seq).values(*names).first()
    if at is None:
        last = AccessEvent.objects.filter(chain=chain).order_by("-seq").first()
        last_seq = last.seq if last else 0
        kind = "truncated" if last_seq < seq else "removed"
        return Break(chain, min(last_seq + 1, seq), None, kind), 0
    if at["hash"] != digest or content_hash(at["prev_hash"], at) != at["hash"]:
        return Break(chain, seq, at["id"], "rewritten"), 1
    rows = list(iter_chain(chain, after_seq=seq))
    return verify_rows(chain, rows, start_hash=digest), len(rows) + 1


def _sign(payload: dict[str, Any]) -> str:
    blob = json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()
    return hmac.new(
        settings.ECD_AUDIT_CHECKPOINT_KEY.encode(), blob, hashlib.sha256
    ).hexdigest()


def write_checkpoint(heads: list[dict[str, Any]], written_at: str) -> Path:
    directory = Path(settings.ECD_AUDIT_CHECKPOINT_DIR)
    directory.mkdir(parents=True, exist_ok=True)
    payload = {"written_at": written_at, "heads": heads}
    path = directory / f"checkpoint-{written_at.replace(':', '')}.json"
    path.write_text(
        json.dumps({**payload, "signature": _sign(payload)}, indent=1), encoding="utf-8"
    )
    return path


def latest_checkpoint() -> dict[str, dict[str, Any]]:
    """chain -> head from the newest checkpoint file whose signature is valid."""
    directory = Path(settings.ECD_AUDIT_CHECKPOINT_DIR)
    for path in sorted(directory.glob("checkpoint-*.json"), reverse=True):
        data = json.loads(path.read_text(encoding="utf-8"))
        signature = data.pop("signature", "")
        if hmac.compare_digest(signature, _sign(data)):
            return {head["chain"]: head for head in data["heads"]}
        raise ValueError(f"Handtekening van {path.name} klopt niet.")
    return {}
