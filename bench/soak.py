"""Soak: a bounded load run against gunicorn on 127.0.0.1 only.

20 connections for 10 minutes (`--seconds`, `--connections`) mix dossier reads, client-list
reads, portal views and zorgmoment saves. Must hold: zero 5xx; afterwards the access log grew
by exactly the events those requests should write (per kind of request, counted once
beforehand), and `verify_audit` passes. Results go to bench/results.json under "soak".
"""

from __future__ import annotations

import argparse
import collections
import datetime
import http.client
import random
import secrets
import socket
import sys
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import BENCH_DB, gunicorn, save, setup_django, wait_port

PORT = 8765


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def sign_in(user: Any) -> str:
    """The key of a session that passed both factors, as the login view would leave it
    (the suite's own `verified_login`)."""
    from django.test import Client as HttpClient

    from tests.personas import verified_login

    return verified_login(HttpClient(), user).session.session_key


def seed() -> dict[str, Any]:
    from accounts.models import Practice, Role, User
    from dossiers import services
    from dossiers.access import Access
    from dossiers.models import Client

    practice = Practice.objects.create(name=f"Soak {secrets.token_hex(3)}")
    anna = User.objects.create_user(
        f"soak-{practice.pk.hex[:8]}",
        password=secrets.token_urlsafe(),
        role=Role.CAREGIVER,
        practice=practice,
        first_name="Soak",
        last_name="Zorgverlener",
    )
    bram = User.objects.create_user(
        f"soakclient-{practice.pk.hex[:8]}",
        password=secrets.token_urlsafe(),
        role=Role.CLIENT,
    )
    client = services.client_register(
        actor=anna,
        data={
            "given_names": "Soak",
            "family_name": "Cliënt",
            "funding": "wmo",
            "date_of_birth": datetime.date(1950, 1, 1),
        },
    )
    Client.objects.filter(pk=client.pk).update(portal_user=bram)
    client.refresh_from_db()
    dossier = services.dossier_open(
        access=Access(client=client, basis="own", can_write=True),
        actor=anna,
        data={
            "practitioner_name": "Soak",
            "practitioner_profession": "verpleegkundige",
            "legal_basis": "overeenkomst",
            "diagnosis": "soak",
            "start_date": datetime.date(2026, 1, 1),
        },
    )
    return {
        "anna": sign_in(anna),
        "bram": sign_in(bram),
        "dossier": dossier.pk,
        "practice": practice.pk,
    }


def requests_for(world: dict[str, Any]) -> dict[str, tuple[str, str, str, bytes]]:
    d = world["dossier"]
    body = b"date=2026-11-22&start_time=09:00&end_time=09:30&activities=soak&results=ok"
    return {
        "dossier": ("GET", f"/dossiers/{d}/", "anna", b""),
        "clients": ("GET", "/clienten/", "anna", b""),
        "portal": ("GET", "/portaal/", "bram", b""),
        "who_saw": ("GET", "/portaal/wie-keek/", "bram", b""),
        "save": ("POST", f"/dossiers/{d}/zorgmomenten/nieuw/", "anna", body),
    }


MIX = (
    ["dossier"] * 5 + ["clients"] * 1 + ["portal"] * 2 + ["who_saw"] * 1 + ["save"] * 1
)


def call(port: int, world: dict[str, Any], kind: str) -> int:
    method, path, who, body = requests_for(world)[kind]
    csrf = "s" * 32
    headers = {
        "Cookie": f"sessionid={world[who]}; csrftoken={csrf}",
        "X-CSRFToken": csrf,
    }
    if body:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request(method, path, body=body or None, headers=headers)
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


def events() -> int:
    from audit.models import AccessEvent

    return AccessEvent.objects.count()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=600)
    parser.add_argument("--connections", type=int, default=20)
    args = parser.parse_args()
    setup_django()
    from django.core.management import call_command

    world = seed()
    port = free_port()
    server = gunicorn(BENCH_DB, port, workers=3, log_level="warning")
    try:
        wait_port(port)
        # What each kind of request writes to the access log, measured once.
        per_kind: dict[str, int] = {}
        for kind in requests_for(world):
            before = events()
            status = call(port, world, kind)
            assert status < 400, (kind, status)
            per_kind[kind] = events() - before
        print("events per request:", per_kind)

        before = events()
        counts: collections.Counter[tuple[str, int]] = collections.Counter()
        lock = threading.Lock()
        latencies: list[float] = []
        deadline = time.monotonic() + args.seconds

        def worker() -> None:
            rng = random.Random()
            while time.monotonic() < deadline:
                kind = rng.choice(MIX)
                started = time.perf_counter()
                try:
                    status = call(port, world, kind)
                except OSError:
                    status = 599
                with lock:
                    counts[(kind, status)] += 1
                    latencies.append(time.perf_counter() - started)

        threads = [threading.Thread(target=worker) for _ in range(args.connections)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        server.terminate()
        server.wait(timeout=30)

    total = sum(counts.values())
    errors = sum(n for (kind, status), n in counts.items() if status >= 500)
    expected = sum(
        per_kind[kind] * n for (kind, status), n in counts.items() if status < 400
    )
    grown = events() - before
    call_command("verify_audit", "--no-checkpoint")
    latencies.sort()
    result = {
        "seconds": args.seconds,
        "connections": args.connections,
        "requests": total,
        "requests_per_second": round(total / args.seconds, 1),
        "p50_ms": round(latencies[len(latencies) // 2] * 1000, 1),
        "p99_ms": round(latencies[int(len(latencies) * 0.99)] * 1000, 1),
        "server_errors": errors,
        "by_kind": {f"{k} {s}": n for (k, s), n in sorted(counts.items())},
        "access_events_expected": expected,
        "access_events_written": grown,
        "chain_verified": True,
    }
    print(result)
    save("soak", result)
    if errors or expected != grown:
        sys.exit(1)


if __name__ == "__main__":
    main()
