"""Load at realistic volume (issue 11): gunicorn on 127.0.0.1, wrk at 20 connections.

Needs the volume from `manage.py seed_volume` in the bench database (seeded when missing).
Measures the floor (a template, no database), a signed-in redirect (what being logged in
costs before any dossier data), the dossier page of the 2,000-zorgmoment dossier, the client
list with a name search, the big client's who-saw-what page, saving a zorgmoment, and
`verify_audit` over all events. Medians of three 10-second runs; results in
bench/results.json under "load".

`--compare` also starts the app against a database of six clients (same big dossier, same
50,000-event client; `<bench db>_six`) and measures each compared page there in turns with the
full volume, run next to run, and records how much the page's speed at full volume differs
from its speed at six clients. `--volume quick` seeds a small volume instead of the full one,
for a quick look.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, NamedTuple

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import BENCH_DB, gunicorn, save, setup_django, wait_port
from soak import free_port, sign_in

CSRF = "b" * 32


def world() -> dict[str, Any]:
    from django.db.models import Count

    from accounts.models import Role, User
    from dossiers.models import CareMoment, Client, Dossier

    reader, _ = User.objects.get_or_create(
        username="volume-client-000", defaults={"role": Role.CLIENT}
    )
    # The first run picks the seeded big dossier and gives its client the portal account;
    # later runs keep it (saving zorgmomenten makes another dossier grow past it).
    big = (
        Dossier.objects.select_related("client")
        .filter(client__portal_user=reader)
        .first()
    )
    if big is None:
        biggest = (
            CareMoment.objects.filter(practice__name="Volume-praktijk 000")
            .values("dossier_id")
            .annotate(n=Count("id"))
            .order_by("-n")
            .first()
        )
        if biggest is None:
            raise SystemExit(
                "Geen volumegegevens: draai eerst `manage.py seed_volume`."
            )
        big = Dossier.objects.select_related("client").get(pk=biggest["dossier_id"])
        Client.objects.filter(pk=big.client_id).update(portal_user=reader)
    big.n = CareMoment.objects.filter(dossier=big).count()
    carer = User.objects.get(practice_id=big.practice_id, role=Role.CAREGIVER)
    other = (
        Dossier.objects.filter(practice_id=big.practice_id).exclude(pk=big.pk).first()
    )
    return {
        "carer": sign_in(carer),
        "client": sign_in(reader),
        "big": big.pk,
        "other": other.pk if other else big.pk,
        "moments": big.n,
        # The whole family name ("Jansen 000-001"): one result at 6,000 clients as at 6,
        # so the comparison measures the volume, not a longer list of namesakes.
        "name": big.client.family_name,
    }


class Case(NamedTuple):
    """One measured request, and the one answer every request of it must get."""

    method: str
    path: str
    body: str
    cookie: str
    status: int = 200
    location: str = ""  # where a redirect must lead; none for a page


def requests_of(w: dict[str, Any]) -> dict[str, Case]:
    """The measured requests by name. A request the app refused (a redirect to the login
    page, a form shown again with errors) answers something else, and spoils the run."""
    from django.urls import reverse

    return {
        "floor": Case("GET", "/status/", "", ""),
        # What being signed in costs before any dossier data: a zorgverlener's start page,
        # which only redirects (session, user and OTP device loaded; no template, no log).
        "signed-in redirect": Case(
            "GET", "/", "", w["carer"], 302, reverse("dossiers:client_list")
        ),
        "dossier page": Case("GET", f"/dossiers/{w['big']}/", "", w["carer"]),
        "client search": Case("POST", "/clienten/", f"name={w['name']}", w["carer"]),
        "who-saw-what": Case("GET", "/portaal/wie-keek/", "", w["client"]),
        "save zorgmoment": Case(
            "POST",
            f"/dossiers/{w['other']}/zorgmomenten/nieuw/",
            "date=2026-11-22&start_time=09:00&end_time=09:30&activities=bench&results=ok",
            w["carer"],
            302,
            reverse("dossiers:dossier_detail", args=[w["other"]]),
        ),
    }


def lua(case: Case) -> str:
    """wrk's script: the request, and a check of every answer (`response`), counted over
    wrk's threads and printed at the end. The check costs wrk some CPU on the machine it
    shares with the app; every run, the floor's included, carries it."""
    location = json.dumps(case.location) if case.location else "nil"
    return f"""wrk.method = "{case.method}"
wrk.body = {json.dumps(case.body)}
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Cookie"] = "sessionid={case.cookie}; csrftoken={CSRF}"
wrk.headers["X-CSRFToken"] = "{CSRF}"
local threads = {{}}
function setup(thread) table.insert(threads, thread) end
function init(args) unexpected = 0 end
function response(status, headers, body)
  if status ~= {case.status} or headers["Location"] ~= {location} then
    unexpected = unexpected + 1
  end
end
function done(summary, latency, requests)
  local n = 0
  for _, thread in ipairs(threads) do n = n + thread:get("unexpected") end
  io.write(string.format("Unexpected answers: %d\\n", n))
end
"""


def wrk(url: str, script: str, seconds: int) -> dict[str, float]:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
    out = subprocess.run(
        [
            shutil.which("wrk") or "wrk",
            "-t2",
            "-c20",
            f"-d{seconds}s",
            "--latency",
            "-s",
            handle.name,
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    Path(handle.name).unlink()

    def ms(label: str) -> float:
        value, unit = re.search(
            rf"^\s+{label}\s+([\d.]+)(us|ms|s)\s*$", out, re.M
        ).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    return {
        "requests": float(re.search(r"(\d+) requests in", out).group(1)),
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50_ms": ms("50%"),
        "p99_ms": ms("99%"),
        # Any other status or redirect, a 5xx or a login page included (wrk's own
        # "Non-2xx or 3xx" count would let a redirect to the login page pass).
        "unexpected": int(re.search(r"Unexpected answers: (\d+)", out).group(1)),
    }


VOLUMES = {
    "full": [],  # seed_volume's defaults: 200 practices, 6,000 clients, 5,000,000 events
    "quick": [
        "--practices=10",
        "--clients=300",
        "--care-moments=30000",
        "--events=250000",
        "--big-client-events=50000",
    ],
    # Six clients, but the same 2,000-zorgmoment dossier and 50,000-event client as "full".
    "six": [
        "--practices=1",
        "--clients=6",
        "--care-moments=2500",
        "--events=55000",
        "--big-client-events=50000",
    ],
}
COMPARED = ("dossier page", "client search", "who-saw-what", "save zorgmoment")


WARM_UP_SECONDS = 3


def settle() -> None:
    """Vacuum and analyse the tables a fresh seed or upgrade filled, now rather than by
    autovacuum in the middle of a measurement."""
    from django.db import connection

    with connection.cursor() as cursor:
        for table in ("audit_accessevent", "audit_dayline", "dossiers_caremoment"):
            cursor.execute(f"VACUUM (ANALYZE) {table}")  # nosec B608 (fixed names)


Run = dict[str, float]
# A gunicorn's port, and the requests for its database.
Server = tuple[int, dict[str, Case]]


def run(server: Server, name: str, seconds: int) -> Run:
    """One wrk run of one page; a run with any answer but the page's own stops everything."""
    port, cases = server
    case = cases[name]
    result = wrk(f"http://127.0.0.1:{port}{case.path}", lua(case), seconds)
    if bad := result.pop("unexpected"):
        # Measured, but not what the name says (a login page, a form with errors).
        expected = f"{case.status} {case.location}".strip()
        raise SystemExit(
            f"{name}: {bad:.0f} van {result['requests']:.0f} antwoorden waren niet "
            f"{expected}; niets opgeslagen."
        )
    return result


def measure(
    full: Server, six: Server | None, seconds: int, runs: int
) -> dict[str, list[dict[str, Run]]]:
    """Each page's rounds: a run of the floor, then the page at full volume and, for the
    compared pages, the same page against the six-client database, in turns.

    This kind of machine's speed drifts by a third from one minute to the next (other
    tenants), so a page is compared with the floor measured just before it, and the same
    page at six clients with the run right next to it, not with runs minutes apart."""
    run(full, "floor", WARM_UP_SECONDS)
    rounds: dict[str, list[dict[str, Run]]] = {}
    for name in full[1]:
        if name == "floor":
            continue
        servers = {"full": full}
        if six is not None and name in COMPARED:
            servers["six"] = six
        for server in servers.values():  # each worker's first page fills its cache
            run(server, name, WARM_UP_SECONDS)
        rounds[name] = []
        for i in range(runs):
            one = {"floor": run(full, "floor", seconds)}
            order = list(servers) if i % 2 == 0 else list(reversed(servers))
            for which in order:  # full, six; six, full; ...
                one[which] = run(servers[which], name, seconds)
            rounds[name].append(one)
    return rounds


def median_run(runs: list[Run]) -> Run:
    return {key: statistics.median(one[key] for one in runs) for key in runs[0]}


def row(rounds: list[dict[str, Run]], which: str) -> Run:
    """A page's medians, and its × floor: the median of its ratios to the round's floor."""
    page = median_run([one[which] for one in rounds])
    page["ratio_to_floor"] = round(
        statistics.median(one[which]["rps"] / one["floor"]["rps"] for one in rounds), 3
    )
    return page


def six_clients() -> tuple[str, dict[str, Case], dict[str, int]]:
    """The six-client database (seeded when missing) and its requests, from a process of
    its own: this process's Django is bound to the full-volume database."""
    six_db = BENCH_DB + "_six"
    done = subprocess.run(
        [sys.executable, __file__, "--volume=six", "--print-cases"],
        env={**os.environ, "BENCH_DATABASE_URL": six_db},
        stdout=subprocess.PIPE,
        text=True,
    )
    if done.returncode:
        raise SystemExit(
            f"zes cliënten: gestopt ({done.returncode}); niets opgeslagen."
        )
    found = json.loads(done.stdout.strip().splitlines()[-1])
    cases = {name: Case(*fields) for name, fields in found["cases"].items()}
    return six_db, cases, found["volume"]


def seeded(volume_name: str) -> None:
    """Seeds the bench database with `VOLUMES[volume_name]` unless it holds a volume."""
    from django.core.management import call_command

    from dossiers.models import Dossier

    if not Dossier.objects.filter(practice__name="Volume-praktijk 000").exists():
        call_command("seed_volume", *VOLUMES[volume_name])


def ready(volume_name: str) -> dict[str, Any]:
    """The bench database seeded, settled, and the world its requests need."""
    seeded(volume_name)
    settle()
    return world()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--volume", choices=VOLUMES, default="full")
    parser.add_argument("--compare", action="store_true", help="also at six clients")
    parser.add_argument("--print-cases", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    setup_django()
    w = ready(args.volume)
    cases = requests_of(w)
    if args.print_cases:
        print(json.dumps({"cases": cases, "volume": volume(w)}))
        return
    six = six_clients() if args.compare else None
    # The daily check's starting point: a signed checkpoint now, in a folder of this run's
    # own, so the incremental run after the load checks what the load appended (each page
    # view is an access event).
    from django.core.management import call_command
    from django.test import override_settings

    folder = Path(tempfile.mkdtemp())
    with override_settings(ECD_AUDIT_CHECKPOINT_DIR=folder):
        call_command("audit_checkpoint", stdout=io.StringIO())
    servers = []
    try:
        full = (free_port(), cases)
        servers.append(gunicorn(BENCH_DB, full[0], workers=4))
        wait_port(full[0])
        six_server = None
        if six is not None:
            six_server = (free_port(), six[1])
            servers.append(gunicorn(six[0], six_server[0], workers=4))
            wait_port(six_server[0])
        rounds = measure(full, six_server, args.seconds, args.runs)
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=30)
    floor = median_run([one["floor"] for pages in rounds.values() for one in pages])
    rows = {"floor": {**floor, "ratio_to_floor": 1.0}}
    rows |= {name: row(pages, "full") for name, pages in rounds.items()}
    print(f"{'':18} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'× floor':>8}")
    for name, r in rows.items():
        print(
            f"{name:18} {r['rps']:8.1f} {r['p50_ms']:8.1f} {r['p99_ms']:8.1f} "
            f"{r['ratio_to_floor']:8.3f}"
        )
    count, rate = verify("--no-checkpoint")
    started = time.monotonic()
    with override_settings(ECD_AUDIT_CHECKPOINT_DIR=folder):
        since, _ = verify("--incremental")
    incremental = round(time.monotonic() - started, 1)
    shutil.rmtree(folder)
    print(f"verify_audit: {count} events, {rate} per second")
    print(
        f"verify_audit --incremental: {since} events since the checkpoint, {incremental} s"
    )
    results: dict[str, Any] = {
        "connections": 20,
        "seconds_per_run": args.seconds,
        "runs": args.runs,
        "pages": rows,
        "verify_audit": {
            "events": count,
            "events_per_second": rate,
            "incremental": {"events_since_checkpoint": since, "seconds": incremental},
        },
        "volume": volume(w),
    }
    if six is not None:
        # Speed at full volume as a share of the speed at six clients (1.0 = the same):
        # the median of the ratios of runs measured next to each other.
        results["six_clients"] = {
            "pages": {name: row(rounds[name], "six") for name in COMPARED},
            "volume": six[2],
        }
        results["full_vs_six"] = {
            name: round(
                statistics.median(
                    one["full"]["rps"] / one["six"]["rps"] for one in rounds[name]
                ),
                3,
            )
            for name in COMPARED
        }
        print(f"{'at six clients':18} {'req/s':>8} {'p99 ms':>8} {'full/six':>8}")
        for name in COMPARED:
            r = results["six_clients"]["pages"][name]
            print(
                f"{name:18} {r['rps']:8.1f} {r['p99_ms']:8.1f} "
                f"{results['full_vs_six'][name]:8.3f}"
            )
    save("load", results)


def verify(*options: str) -> tuple[int, int]:
    """`verify_audit` with `options`: the events it checked, and how many a second."""
    from django.core.management import call_command

    out = io.StringIO()
    call_command("verify_audit", *options, stdout=out)  # a broken chain exits non-zero
    checked, rate = re.search(
        r"([\d,]+) gebeurtenissen, ([\d,]+) per seconde", out.getvalue()
    ).groups()
    return int(checked.replace(",", "")), int(rate.replace(",", ""))


def volume(w: dict[str, Any]) -> dict[str, int]:
    from accounts.models import Practice
    from audit.models import AccessEvent
    from dossiers.models import CareMoment, Client

    return {
        "practices": Practice.objects.count(),
        "clients": Client.objects.count(),
        "care_moments": CareMoment.objects.count(),
        "access_events": AccessEvent.objects.count(),
        "big_dossier_care_moments": w["moments"],
    }


if __name__ == "__main__":
    main()
