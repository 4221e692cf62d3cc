"""What being signed in costs in Django as it ships, measured as `load.py` measures the ECD.

The dossier page's target is 0.40 × the floor's requests a second. `load.py` shows that the
ECD's signed-in redirect, which loads the session, the user and the OTP device and only
redirects, already runs below that. This asks whether that is the ECD's doing or Django's:
a project as `startproject` makes it (`bench/stockproject`: database sessions, the default
middleware, no second factor, no access log) serves the same two requests, the floor's
template and a `login_required` redirect, under the same gunicorn (4 workers) and wrk
(20 connections), each redirect run right after a floor run. Results in bench/results.json
under "stock_django".

Run: .venv/bin/python bench/stock_django.py [--seconds 10] [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import BENCH_DB, create_databases, gunicorn, save, wait_port
from load import WARM_UP_SECONDS, Case, median_run, row, run
from soak import free_port

HERE = Path(__file__).resolve().parent
DATABASE = BENCH_DB + "_stock"
PAGES = ("floor", "signed-in redirect")


def signed_in_session() -> str:
    """Migrates the stock project's database and signs a user in; the session's key."""
    os.environ["STOCK_DATABASE_URL"] = DATABASE
    os.environ["DJANGO_SETTINGS_MODULE"] = "stockproject.settings"
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.test import Client

    call_command("migrate", verbosity=0)
    user, _ = User.objects.get_or_create(username="stock")
    client = Client()
    client.force_login(user)
    return client.session.session_key


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    create_databases(DATABASE, keys=False)
    cookie = signed_in_session()
    cases = {
        "floor": Case("GET", "/status/", "", ""),
        "signed-in redirect": Case("GET", "/", "", cookie, 302, "/status/"),
    }
    server = (free_port(), cases)
    process = gunicorn(
        DATABASE,
        server[0],
        workers=4,
        app="stockproject.wsgi",
        PYTHONPATH=str(HERE),
        STOCK_DATABASE_URL=DATABASE,
    )
    try:
        wait_port(server[0])
        for name in PAGES:
            run(server, name, WARM_UP_SECONDS)
        rounds = [
            {name: run(server, name, args.seconds) for name in PAGES}
            for _ in range(args.runs)
        ]
    finally:
        process.terminate()
        process.wait(timeout=30)
    rows = {
        "floor": {
            **median_run([one["floor"] for one in rounds]),
            "ratio_to_floor": 1.0,
        },
        "signed-in redirect": row(rounds, "signed-in redirect"),
    }
    print(
        f"{'stock Django':18} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'× floor':>8}"
    )
    for name, r in rows.items():
        print(
            f"{name:18} {r['rps']:8.1f} {r['p50_ms']:8.1f} {r['p99_ms']:8.1f} "
            f"{r['ratio_to_floor']:8.3f}"
        )
    save(
        "stock_django",
        {
            "connections": 20,
            "seconds_per_run": args.seconds,
            "runs": args.runs,
            "pages": rows,
        },
    )


if __name__ == "__main__":
    main()
