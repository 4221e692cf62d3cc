"""Concurrent writers never fork a chain: 8 threads × 500 events, no gaps, verifies."""

import pytest

from audit.chain import verify_chain
from audit.models import AccessEvent
from audit.services import record
from tests.audit.helpers import in_threads
from tests.personas import make_user


@pytest.mark.postgres
def test_eight_writers_keep_one_whole_chain(committed_db) -> None:
    from accounts.models import Practice

    practice = Practice.objects.create(name="Drukke praktijk")
    users = [make_user(f"writer{i}", "zorgverlener", practice) for i in range(8)]

    def write(user) -> None:
        for n in range(500):
            record(
                actor=user,
                action="R",
                event_type="dossier.view",
                practice_id=practice.pk,
                detail=str(n),
            )

    in_threads(write, users)
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


WRITER = """
import sys, django
django.setup()
from accounts.models import User
from audit.services import record
user = User.objects.get(username=sys.argv[1])
for n in range(int(sys.argv[2])):
    record(actor=user, action="R", event_type="dossier.view",
           practice_id=user.practice_id, detail=str(n))
"""


@pytest.mark.postgres
def test_writers_in_separate_processes_keep_one_whole_chain(committed_db) -> None:
    """As with several gunicorn instances: separate processes, one database, one chain."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    from django.conf import settings

    from accounts.models import Practice

    practice = Practice.objects.create(name="Praktijk met drie instanties")
    for i in range(3):
        make_user(f"proc{i}", "zorgverlener", practice)

    def url(alias: str) -> str:
        db = settings.DATABASES[alias]
        return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"

    env = {
        **os.environ,
        "DATABASE_URL": url("default"),
        "KEYSTORE_DATABASE_URL": url("keys"),
    }
    root = Path(__file__).resolve().parents[2]
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, f"proc{i}", "200"], cwd=root, env=env
        )
        for i in range(3)
    ]
    assert [w.wait(timeout=300) for w in writers] == [0, 0, 0]
    events = AccessEvent.objects.filter(chain=str(practice.pk))
    assert events.count() == 600
    assert sorted(events.values_list("seq", flat=True)) == list(range(1, 601))
    assert verify_chain(str(practice.pk)) is None
