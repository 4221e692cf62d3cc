"""`make bench`'s in-process benchmarks still run: each signs in as the app now demands,
gets the page it means to time and writes its section of the results.

A full `make bench` seeds millions of rows and runs for most of an hour, so the suite runs
the two benchmarks that seed for themselves, small (30 zorgmomenten, one round), against a
throwaway database and a results file of their own. The dossier page benchmark once stopped
at its first request unnoticed: since the second factor, the page answered with a redirect.
The stock-Django comparison (`stock_django.py`) runs once, one second a page.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
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
        for created in (name, f"{name}_keys", f"{name}_stock"):
            admin.execute(f'DROP DATABASE IF EXISTS "{created}" WITH (FORCE)')


def bench_environment(bench_database: str, tmp_path: Path) -> dict[str, str]:
    """This process's environment without its database, key store and bench settings; the
    throwaway database, a results file of the test's own, and the small sizes instead."""
    return {
        **{
            name: value
            for name, value in os.environ.items()
            if not name.startswith(("DATABASE_URL", "KEYSTORE_", "BENCH_", "ECD_"))
        },
        "BENCH_DATABASE_URL": bench_database,
        "BENCH_RESULTS": str(tmp_path / "results.json"),
        "BENCH_MOMENTS": "30",
        "BENCH_ROUNDS": "1",
        "ECD_VAR_DIR": str(tmp_path / "var"),
    }


def run_to_the_end(env: dict[str, str], script: str, *args: str) -> None:
    """Runs a benchmark of bench/ as `make bench` does; it must finish without stopping."""
    done = subprocess.run(
        [sys.executable, script, *args],
        cwd=ROOT / "bench",
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-1000:] + done.stderr[-3000:]


def test_the_dossier_page_and_pdf_benchmarks_run_and_report(
    bench_database: str, tmp_path: Path
) -> None:
    env = bench_environment(bench_database, tmp_path)
    results = Path(env["BENCH_RESULTS"])
    for script in ("dossier_page_overhead.py", "pdf_afschrift.py"):
        run_to_the_end(env, script)
    found = json.loads(results.read_text())
    for section in ("dossier_page_encryption", "dossier_page_logging"):
        assert found[section]["care_moments"] == 30
        assert found[section]["ratio"] > 0
    assert found["pdf_afschrift"]["care_moments"] == 30
    assert found["pdf_afschrift"]["pages"] >= 1 and found["pdf_afschrift"]["bytes"] > 0


@pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk ontbreekt (Debian wrk)")
def test_the_stock_django_benchmark_runs_and_reports(
    bench_database: str, tmp_path: Path
) -> None:
    """Stock Django's floor and signed-in redirect, one short run each: the script stops
    (and the test fails) on any answer but the page's own, a redirect to the login page
    for a session stock Django did not accept included."""
    env = bench_environment(bench_database, tmp_path)
    run_to_the_end(env, "stock_django.py", "--seconds=1", "--runs=1")
    pages = json.loads(Path(env["BENCH_RESULTS"]).read_text())["stock_django"]["pages"]
    assert pages["floor"]["requests"] > 0
    assert pages["signed-in redirect"]["requests"] > 0
    assert pages["signed-in redirect"]["ratio_to_floor"] > 0
