"""Concurrent writers never fork a chain: 8 threads × 500 events, no gaps, verifies."""

import threading

import pytest
from django.db import connections

from audit.chain import verify_chain
from audit.models import AccessEvent
from audit.services import record
from tests.personas import make_user


@pytest.mark.postgres
def test_eight_writers_keep_one_whole_chain(committed_db) -> None:
    from accounts.models import Practice

    practice = Practice.objects.create(name="Drukke praktijk")
    users = [make_user(f"writer{i}", "zorgverlener", practice) for i in range(8)]
    errors: list[BaseException] = []

    def write(user) -> None:
        try:
            for n in range(500):
                record(
                    actor=user,
                    action="R",
                    event_type="dossier.view",
                    practice_id=practice.pk,
                    detail=str(n),
                )
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(u,)) for u in users]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    seqs = list(
        AccessEvent.objects.filter(chain=str(practice.pk))
        .order_by("seq")
        .values_list("seq", flat=True)
    )
    assert seqs == list(range(1, 4001))
    prevs = AccessEvent.objects.filter(chain=str(practice.pk)).values_list(
        "prev_hash", flat=True
    )
    assert len(set(prevs)) == 4000
    assert verify_chain(str(practice.pk)) is None
