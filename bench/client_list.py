"""The client list and a name search with 1,000 clients in one practice, timed in-process.

Names and dates of birth are encrypted under each client's data key (#26), so the list is
decrypted, filtered and sorted in memory for the practice. This measures what one request
costs: Django's test client against PostgreSQL (a database of its own, `<bench db>_list`),
a warm-up of 3 requests and then the median of N. Run:

    .venv/bin/python bench/client_list.py [--clients 1000] [--rounds 20] [--save]

`--save` writes the result to bench/results.json under "client_list".
"""

from __future__ import annotations

import argparse
import datetime
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import BENCH_DB, save, setup_django

LIST_DB = BENCH_DB + "_list"
PRACTICE = "Lijst-praktijk"
FAMILY = ("Jansen", "de Vries", "Bakker", "Visser", "Smit", "Meijer", "Mulder", "Bos")
GIVEN = ("Anna", "Bram", "Cor", "Daan", "Eva", "Fleur", "Gijs", "Hanna")


def world(clients: int) -> object:
    from accounts.models import Practice, Role, User
    from dossiers import services
    from dossiers.models import Client

    practice, _ = Practice.objects.get_or_create(name=PRACTICE)
    carer, _ = User.objects.get_or_create(
        username="lijst-anna",
        defaults={"role": Role.CAREGIVER, "practice": practice, "first_name": "Anna"},
    )
    have = Client.objects.filter(practice=practice).count()
    for n in range(have, clients):
        services.client_register(
            actor=carer,
            data={
                "given_names": GIVEN[n % len(GIVEN)],
                "family_name": f"{FAMILY[n % len(FAMILY)]} {n:04d}",
                "date_of_birth": datetime.date(1940 + n % 60, 1 + n % 12, 1 + n % 28),
                "funding": "wmo",
            },
        )
    return carer


def timed(
    http: object, method: str, path: str, data: dict[str, str], rounds: int
) -> tuple[float, float]:
    """Median wall-clock and median CPU time of this process (ms) per request. The CPU
    time leaves out PostgreSQL's share and is less moved by other load on the machine."""
    call = getattr(http, method)
    for _ in range(3):
        assert call(path, data).status_code == 200
    wall, cpu = [], []
    for _ in range(rounds):
        start, start_cpu = time.perf_counter(), time.process_time()
        response = call(path, data)
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
        assert response.status_code == 200
    return (
        round(statistics.median(wall) * 1000, 1),
        round(statistics.median(cpu) * 1000, 1),
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--save", action="store_true")
    args = parser.parse_args()
    setup_django(LIST_DB)
    from django.test import Client as HttpClient
    from django.test.utils import setup_test_environment
    from django.urls import reverse
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    setup_test_environment()
    carer = world(args.clients)
    http = HttpClient()
    http.force_login(carer)
    device, _ = TOTPDevice.objects.get_or_create(
        user=carer, name="bench", defaults={"confirmed": True}
    )
    session = http.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    path = reverse("dossiers:client_list")
    listed = timed(http, "get", path, {}, args.rounds)
    searched = timed(http, "post", path, {"name": "jansen 00"}, args.rounds)
    result = {
        "clients": args.clients,
        "rounds": args.rounds,
        "list_ms": listed[0],
        "list_cpu_ms": listed[1],
        "search_ms": searched[0],
        "search_cpu_ms": searched[1],
    }
    print(result)
    if args.save:
        save("client_list", result)


if __name__ == "__main__":
    main()
