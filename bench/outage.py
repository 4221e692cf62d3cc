"""Database outage, for real: a throwaway PostgreSQL cluster is stopped under a running app.

Starts its own cluster (initdb as the `postgres` user, a free port, a temporary directory),
migrates, serves the app with gunicorn, saves a zorgmoment, stops PostgreSQL, and checks that
every request gets the 503 page (no dossier data, no-store); then starts PostgreSQL again and
checks that the app answers 200 by itself, without a restart, and that the saved zorgmoment
is still there. Results go to bench/results.json under "outage". Needs root (to run
PostgreSQL as `postgres`); touches nothing but its own cluster.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import gunicorn, save, setup_django, wait_port
from soak import call, free_port, seed

BIN = Path(sorted(glob.glob("/usr/lib/postgresql/*/bin"))[-1])


def as_postgres(*cmd: str) -> None:
    subprocess.run(["runuser", "-u", "postgres", "--", *cmd], check=True)


def main() -> None:
    data = Path(tempfile.mkdtemp(prefix="ecd-outage-"))
    shutil.chown(data, "postgres", "postgres")
    pg_port, app_port = free_port(), free_port()
    ctl = [str(BIN / "pg_ctl"), "-D", str(data / "db"), "-w", "-l", str(data / "log")]
    start = [
        *ctl,
        "-o",
        f"-p {pg_port} -k {data} -c listen_addresses=127.0.0.1",
        "start",
    ]
    as_postgres(
        str(BIN / "initdb"), "-D", str(data / "db"), "-U", "postgres", "--auth=trust"
    )
    as_postgres(*start)
    url = f"postgres://postgres@127.0.0.1:{pg_port}/ecd_outage"
    server = None
    try:
        subprocess.run(
            [
                str(BIN / "createdb"),
                "-h",
                "127.0.0.1",
                "-p",
                str(pg_port),
                "-U",
                "postgres",
                "ecd_outage",
            ],
            check=True,
        )
        os.environ["BENCH_DATABASE_URL"] = url
        os.environ["DATABASE_URL"] = url
        setup_django(url)
        world = seed()
        server = gunicorn(url, app_port, workers=2, log_level="critical")
        wait_port(app_port)
        assert call(app_port, world, "save") == 302
        assert call(app_port, world, "dossier") == 200

        as_postgres(*ctl, "-m", "fast", "stop")
        wait_port(pg_port, up=False)
        during = [
            call(app_port, world, kind) for kind in ("dossier", "portal", "save") * 5
        ]

        as_postgres(*start)
        wait_port(pg_port)
        started, after = time.monotonic(), 0
        while time.monotonic() - started < 30:
            after = call(app_port, world, "dossier")
            if after == 200:
                break
            time.sleep(0.5)
        recovered_in = time.monotonic() - started
        from django.db import connections

        connections.close_all()
        from dossiers.models import CareMoment

        kept = CareMoment.objects.filter(dossier_id=world["dossier"]).count()
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        subprocess.run(
            ["runuser", "-u", "postgres", "--", *ctl, "-m", "immediate", "stop"],
            check=False,
        )
        shutil.rmtree(data, ignore_errors=True)

    result = {
        "responses_while_down": sorted(set(during)),
        "status_after_return": after,
        "recovered_within_seconds": round(recovered_in, 1),
        "care_moments_kept": kept,
    }
    print(result)
    save("outage", result)
    if set(during) != {503} or after != 200 or kept != 1:
        sys.exit(1)


if __name__ == "__main__":
    main()
