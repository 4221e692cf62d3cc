"""Shared set-up for the in-process benchmarks: a PostgreSQL database of their own."""

from __future__ import annotations

import json
import os
import platform
import socket
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(os.environ.get("BENCH_RESULTS", ROOT / "bench" / "results.json"))
BENCH_DB = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ecd_bench"
)


def setup_django(database: str = BENCH_DB) -> None:
    """Django against `database` (the bench database unless told), created and migrated."""
    import sys

    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = database
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ecd.settings")
    create_databases(database)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("migrate", database="keys", verbosity=0)


def create_databases(database: str, *, keys: bool = True) -> None:
    """`database`, and the key store's `<database>_keys` beside it unless keys=False."""
    import psycopg

    base, name = database.rsplit("/", 1)
    with psycopg.connect(base + "/postgres", autocommit=True) as conn:
        for db in (name, name + "_keys") if keys else (name,):
            if not conn.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [db]
            ).fetchone():
                conn.execute(f'CREATE DATABASE "{db}"')


def machine() -> dict[str, Any]:
    return {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def save(section: str, data: dict[str, Any]) -> None:
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    results[section] = {
        **data,
        "machine": machine(),
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")


def gunicorn(
    database_url: str,
    port: int,
    *,
    workers: int,
    log_level: str = "warning",
    app: str = "ecd.wsgi",
    **environment: str,
):
    """The app (or another WSGI `app`) under gunicorn on 127.0.0.1 only, against
    `database_url` (and any other environment variables given)."""
    import subprocess
    import sys

    env = {**os.environ, "DATABASE_URL": database_url, "DEBUG": "0", **environment}
    command = [sys.executable, "-m", "gunicorn", app]
    command += ["--bind", f"127.0.0.1:{port}", "--workers", str(workers)]
    return subprocess.Popen([*command, "--log-level", log_level], cwd=ROOT, env=env)


def wait_port(port: int, up: bool = True, seconds: float = 30) -> None:
    """Until 127.0.0.1:port accepts connections (or, with up=False, refuses them)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            if up:
                return
        except OSError:
            if not up:
                return
        time.sleep(0.2)
    raise RuntimeError(f"port {port} did not become {'open' if up else 'closed'}")
