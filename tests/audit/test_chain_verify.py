"""verify_audit: 0 for a whole chain; 1 naming the first broken event and the kind of break."""

import pytest
from django.core.management import call_command

from audit.models import AccessEvent, DayLine
from audit.services import record
from tests.audit.helpers import event_ids, without_triggers
from tests.personas import Cast


def verify(capsys, *args: str) -> tuple[int, str]:
    try:
        call_command("verify_audit", *args)
    except SystemExit as exc:
        return int(exc.code or 0), capsys.readouterr().err
    return 0, capsys.readouterr().out


@pytest.fixture
def chain(cast: Cast) -> str:
    for i in range(6):
        record(
            actor=cast.anna,
            action="R",
            event_type="dossier.view",
            practice_id=cast.anna.practice_id,
            client_id=cast.dossier.client_id,
            detail=f"n{i}",
        )
    return str(cast.anna.practice_id)


def test_an_untouched_chain_verifies(chain: str, capsys) -> None:
    code, out = verify(capsys)
    assert code == 0 and out.startswith("OK")


def test_a_changed_event_is_named(chain: str, capsys) -> None:
    target = event_ids(chain)[3]
    without_triggers(
        "UPDATE audit_accessevent SET actor_name = 'Iemand anders' WHERE id = %s",
        [target],
    )
    code, err = verify(capsys)
    assert code == 1
    assert f"(id {target}): changed" in err


def test_a_removed_event_is_named(chain: str, capsys) -> None:
    ids = event_ids(chain)
    without_triggers("DELETE FROM audit_accessevent WHERE id = %s", [ids[2]])
    code, err = verify(capsys)
    assert code == 1
    assert f"(id {ids[3]}): removed" in err


def test_an_inserted_event_is_named(chain: str, capsys) -> None:
    ids = event_ids(chain)
    forged = AccessEvent.objects.get(pk=ids[2])
    # Make room after event 3 and slip a forged copy in, its links computed correctly.
    for shift in (1000, -999):
        without_triggers(
            "UPDATE audit_accessevent SET seq = seq + %s WHERE chain = %s AND seq > 3",
            [shift, chain],
        )
    from audit.chain import content_hash

    forged.pk = None
    forged.seq = 4
    forged.detail = "vervalst"
    prev = AccessEvent.objects.get(chain=chain, seq=3)
    forged.prev_hash = prev.hash
    values = {f.name: getattr(forged, f.name) for f in AccessEvent._meta.fields}
    forged.hash = content_hash(prev.hash, values)
    forged.save(force_insert=True)
    code, err = verify(capsys)
    assert code == 1
    assert f"(id {forged.pk}): inserted" in err


def test_reordered_events_are_named(chain: str, capsys) -> None:
    ids = event_ids(chain)
    without_triggers("UPDATE audit_accessevent SET seq = 1000 WHERE id = %s", [ids[1]])
    without_triggers("UPDATE audit_accessevent SET seq = 2 WHERE id = %s", [ids[2]])
    without_triggers("UPDATE audit_accessevent SET seq = 3 WHERE id = %s", [ids[1]])
    code, err = verify(capsys)
    assert code == 1
    assert "reordered" in err


def test_a_truncated_tail_is_caught_by_the_checkpoint(chain: str, capsys) -> None:
    call_command("audit_checkpoint")
    ids = event_ids(chain)
    without_triggers(
        "DELETE FROM audit_accessevent WHERE id >= %s AND chain = %s", [ids[-2], chain]
    )
    # The chain alone cannot see it; the who-saw-what lines still count the removed reads.
    code, err = verify(capsys, "--no-checkpoint")
    assert code == 1 and "wie-keek-wat" in err and "keten" not in err
    code, err = verify(capsys)
    assert code == 1
    assert "truncated" in err


def test_a_wholly_rewritten_chain_is_caught_by_the_checkpoint(
    chain: str, capsys, cast: Cast
) -> None:
    call_command("audit_checkpoint")
    without_triggers("DELETE FROM audit_accessevent WHERE chain = %s", [chain])
    from audit.models import ChainHead

    ChainHead.objects.filter(chain=chain).delete()
    DayLine.objects.filter(client_id=cast.dossier.client_id).delete()  # and its traces
    for i in range(8):  # a rewritten history, internally consistent
        record(
            actor=cast.anna,
            action="R",
            event_type="dossier.view",
            practice_id=cast.anna.practice_id,
            detail=f"nieuw{i}",
        )
    assert verify(capsys, "--no-checkpoint")[0] == 0
    code, err = verify(capsys)
    assert code == 1
    assert "rewritten" in err


def test_a_forged_checkpoint_file_is_refused(chain: str, capsys, settings) -> None:
    call_command("audit_checkpoint")  # into the test's own folder (tests/conftest.py)
    path = next(settings.ECD_AUDIT_CHECKPOINT_DIR.glob("checkpoint-*.json"))
    path.write_text(path.read_text().replace('"seq": ', '"seq": 1'))
    code, err = verify(capsys)
    assert code == 1
    assert "Handtekening" in err


def _more(cast: Cast, n: int) -> None:
    for i in range(n):
        record(
            actor=cast.anna,
            action="R",
            event_type="dossier.view",
            practice_id=cast.anna.practice_id,
            detail=f"later{i}",
        )


def test_incremental_reads_only_what_came_after_the_checkpoint(
    chain: str, capsys, cast: Cast
) -> None:
    call_command("audit_checkpoint")
    _more(cast, 3)
    code, out = verify(capsys, "--incremental")
    assert code == 0
    assert " 4 gebeurtenissen" in out  # the checkpointed event and the three after it


def test_incremental_catches_a_change_after_the_checkpoint(
    chain: str, capsys, cast: Cast
) -> None:
    call_command("audit_checkpoint")
    _more(cast, 3)
    target = event_ids(chain)[-2]
    without_triggers(
        "UPDATE audit_accessevent SET detail = 'anders' WHERE id = %s", [target]
    )
    code, err = verify(capsys, "--incremental")
    assert code == 1 and f"(id {target}): changed" in err


def test_incremental_catches_a_rewritten_checkpoint_event_and_truncation(
    chain: str, capsys
) -> None:
    call_command("audit_checkpoint")
    ids = event_ids(chain)
    without_triggers(
        "UPDATE audit_accessevent SET detail = 'anders' WHERE id = %s", [ids[-1]]
    )
    code, err = verify(capsys, "--incremental")
    assert code == 1 and "rewritten" in err
    without_triggers(
        "DELETE FROM audit_accessevent WHERE id >= %s AND chain = %s", [ids[-2], chain]
    )
    code, err = verify(capsys, "--incremental")
    assert code == 1 and "truncated" in err
