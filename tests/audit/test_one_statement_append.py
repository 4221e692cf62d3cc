"""Appending an event: on PostgreSQL one statement moves the chain's head and writes the
event, with the hash PostgreSQL computes equal to the one `verify_audit` recomputes."""

import itertools

import pytest
from django.db import DataError, connection, transaction
from django.test.utils import CaptureQueriesContext

from audit.chain import GENESIS, content_hash, verify_chain
from audit.models import AccessEvent, ChainHead, EventType
from audit.services import record
from tests.audit.helpers import read_dossier
from tests.personas import Cast, make_cast


def _read(cast: Cast, detail: str = "") -> None:
    read_dossier(
        cast,
        fields=["notes", "goals"],
        checks={"autorisatie": "ok"},
        detail=detail or "één weergave — ü",
    )


def _events(chain: str) -> list[AccessEvent]:
    return list(AccessEvent.objects.filter(chain=chain).order_by("seq"))


def test_each_event_hash_is_sha256_of_previous_hash_and_content(cast: Cast) -> None:
    chain = str(cast.anna.practice_id)
    for n in range(3):
        _read(cast, f"weergave {n}")
    events = _events(chain)
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    for before, event in itertools.pairwise(events):
        assert event.prev_hash == before.hash
    row = AccessEvent.objects.filter(pk=events[-1].pk).values().get()
    assert events[-1].hash == content_hash(events[-1].prev_hash, row)
    assert verify_chain(chain) is None


def test_head_keeps_last_hash_and_the_one_before(cast: Cast) -> None:
    chain = str(cast.anna.practice_id)
    _read(cast)
    _read(cast)
    head = ChainHead.objects.get(chain=chain)
    last = _events(chain)[-1]
    assert (head.seq, head.hash, head.prev_hash) == (
        last.seq,
        last.hash,
        last.prev_hash,
    )


def test_first_event_of_a_new_chain_starts_at_genesis(cast: Cast) -> None:
    from accounts.models import Practice

    practice = Practice.objects.create(name="Nieuwe praktijk")
    record(
        actor=cast.anna,
        action="R",
        event_type=EventType.CLIENT_LIST,
        practice_id=practice.pk,
    )
    (event,) = _events(str(practice.pk))
    assert (event.seq, event.prev_hash) == (1, GENESIS)
    assert verify_chain(str(practice.pk)) is None


@pytest.mark.postgres
def test_a_read_outside_a_transaction_costs_one_statement(committed_db) -> None:
    cast = make_cast()
    _read(cast)  # the chain's head exists from here on
    with CaptureQueriesContext(connection) as queries:
        _read(cast)
    assert len(queries) == 1
    assert queries[0]["sql"].startswith("WITH link AS (UPDATE")
    assert verify_chain(str(cast.anna.practice_id)) is None


@pytest.mark.postgres
def test_over_long_value_fails_whole_and_moves_nothing(cast: Cast) -> None:
    """A cast to varchar(n) would cut the name silently, and the row would not match its
    hash; the value goes in as text, so PostgreSQL refuses it as the ORM would."""
    chain = str(cast.anna.practice_id)
    _read(cast)
    head = ChainHead.objects.get(chain=chain)
    with pytest.raises(DataError), transaction.atomic():
        record(
            actor=cast.anna,
            action="R",
            event_type=EventType.DOSSIER_VIEW,
            object_type="x" * 41,  # max_length=40
            practice_id=cast.anna.practice_id,
        )
    assert ChainHead.objects.get(chain=chain).seq == head.seq
    assert len(_events(chain)) == head.seq
