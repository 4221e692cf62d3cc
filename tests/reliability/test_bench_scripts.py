"""`make bench`'s in-process benchmarks still run: each signs in as the app now demands,
gets the page it means to time and writes its section of the results.

A full `make bench` seeds millions of rows and runs for most of an hour, so the suite runs
the two benchmarks that seed for themselves, small (30 zorgmomenten, one round), against a
throwaway database and a results file of their own. The dossier page benchmark once stopped
at its first request unnoticed: since the second factor, the page answered with a redirect.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from tests.reliability.helpers import database_url

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.postgres  # the benchmarks run on PostgreSQL only


@pytest.fixture
def bench_database() -> Iterator[str]:
    server = database_url().rsplit("/", 1)[0]
    name = f"ecd_bench_smoke_{secrets.token_hex(4)}"
    yield f"{server}/{name}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        for created in (name, f"{name}_keys"):
            admin.execute(f'DROP DATABASE IF EXISTS "{created}" WITH (FORCE)')


def test_the_dossier_page_and_pdf_benchmarks_run_and_report(
    bench_database: str, tmp_path: Path
) -> None:
    results = tmp_path / "results.json"
    env = {
        **{
            name: value
            for name, value in os.environ.items()
            if not name.startswith(("DATABASE_URL", "KEYSTORE_", "BENCH_", "ECD_"))
        },
        "BENCH_DATABASE_URL": bench_database,
        "BENCH_RESULTS": str(results),
        "BENCH_MOMENTS": "30",
        "BENCH_ROUNDS": "1",
        "ECD_VAR_DIR": str(tmp_path / "var"),
    }
    for script in ("dossier_page_overhead.py", "pdf_afschrift.py"):
        done = subprocess.run(
            [sys.executable, script],
            cwd=ROOT / "bench",
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert done.returncode == 0, done.stdout[-1000:] + done.stderr[-3000:]
    found = json.loads(results.read_text())
    for section in ("dossier_page_encryption", "dossier_page_logging"):
        assert found[section]["care_moments"] == 30
        assert found[section]["ratio"] > 0
    assert found["pdf_afschrift"]["care_moments"] == 30
    assert found["pdf_afschrift"]["pages"] >= 1 and found["pdf_afschrift"]["bytes"] > 0
