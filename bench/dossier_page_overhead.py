"""What encryption and access logging cost on the dossier page with 2,000 zorgmomenten.

In one run: the same page, same data, with encryption on and off (data seeded twice), and
with read logging on and off. Targets: encryption ≤ 15 % extra, logging ≤ 10 % extra.
Every request renders the record: the body cache (`dossiers/page_cache.py`) is emptied
before each, or a cached body would hide what decrypting it costs. The two sides of each
comparison run in alternating blocks and are compared block by block; even so, this kind of
machine's noise moves single ratios by several per cent from run to run.
Run: .venv/bin/python bench/dossier_page_overhead.py
"""

from __future__ import annotations

import datetime
import os
import statistics
import time
from collections.abc import Callable

from common import save, setup_django

MOMENTS = int(os.environ.get("BENCH_MOMENTS", 2000))
BLOCK = 8  # requests a timed block
ROUNDS = int(os.environ.get("BENCH_ROUNDS", 15))  # pairs of blocks a comparison


def seed(anna, family: str, encrypted: bool):
    from django.test import override_settings

    from dossiers.clients import clients_with_family_name
    from dossiers.models import CareMoment, Client, Dossier, Goal
    from tests.personas import register_client_with_dossier

    named = clients_with_family_name(Client.objects.all(), family)
    existing = Dossier.objects.filter(client__in=named).first() if named else None
    if existing and CareMoment.objects.filter(dossier=existing).count() == MOMENTS:
        return existing
    with override_settings(ECD_ENCRYPTION_ENABLED=encrypted):
        dossier = register_client_with_dossier(anna, family_name=family)
        goal = Goal(
            dossier=dossier,
            practice_id=dossier.practice_id,
            key_ref=dossier.key_ref,
            created_by=anna,
            description="Wond geneest binnen acht weken",
        )
        goal.save()
        moments = [
            CareMoment(
                dossier=dossier,
                practice_id=dossier.practice_id,
                key_ref=dossier.key_ref,
                created_by=anna,
                date=datetime.date(2020, 1, 1) + datetime.timedelta(days=i // 2),
                start_time=datetime.time(9 + i % 2 * 4),
                end_time=datetime.time(10 + i % 2 * 4),
                activities=f"Wond gereinigd en verbonden, bezoek {i}. " * 3,
                results="Wond kleiner, geen tekenen van infectie.",
            )
            for i in range(MOMENTS)
        ]
        CareMoment.objects.bulk_create(moments, batch_size=500)
        through = CareMoment.goals.through
        through.objects.bulk_create(
            [through(caremoment_id=m.pk, goal_id=goal.pk) for m in moments],
            batch_size=1000,
        )
    return dossier


def main() -> None:
    setup_django()
    from django.core.cache import caches
    from django.test import Client as HttpClient
    from django.test import override_settings
    from django.urls import reverse

    from accounts.models import Practice, Role, User
    from tests.personas import verified_login

    practice, _ = Practice.objects.get_or_create(name="Bench praktijk")
    anna, _created = User.objects.get_or_create(
        username="bench-anna",
        defaults={"role": Role.CAREGIVER, "practice": practice, "first_name": "Anna"},
    )
    encrypted = seed(anna, "Versleuteld", encrypted=True)
    plain = seed(anna, "Onversleuteld", encrypted=False)
    http = verified_login(HttpClient(), anna)  # both factors, as a zorgverlener is
    url_enc = reverse("dossiers:dossier_detail", args=[encrypted.pk])
    url_plain = reverse("dossiers:dossier_detail", args=[plain.pk])

    def block(url: str, reads_logged: bool = True) -> Callable[[], float]:
        """BLOCK requests of the page, each rendering the record: ms a request."""

        def run() -> float:
            with override_settings(ECD_AUDIT_READS_ENABLED=reads_logged):
                started = time.perf_counter()
                for _ in range(BLOCK):
                    caches["dossier_pages"].clear()
                    response = http.get(url)
                    if response.status_code != 200:  # not a login page timed instead
                        raise SystemExit(f"{url}: {response.status_code}, niet 200")
                return (time.perf_counter() - started) * 1000 / BLOCK

        return run

    paired(block(url_enc), block(url_plain), rounds=1)  # warm-up
    enc_ms, plain_ms, enc_ratio = paired(block(url_enc), block(url_plain))
    logged_ms, unlogged_ms, log_ratio = paired(
        block(url_enc), block(url_enc, reads_logged=False)
    )
    encryption = {
        "page_ms_encrypted": round(enc_ms, 2),
        "page_ms_plain": round(plain_ms, 2),
        "ratio": round(enc_ratio, 3),
        "target_ratio_max": 1.15,
        "care_moments": MOMENTS,
    }
    logging = {
        "page_ms_logged": round(logged_ms, 2),
        "page_ms_unlogged": round(unlogged_ms, 2),
        "ratio": round(log_ratio, 3),
        "target_ratio_max": 1.10,
        "care_moments": MOMENTS,
    }
    save("dossier_page_encryption", encryption)
    save("dossier_page_logging", logging)
    print(
        f"encryption: {enc_ms:.1f} vs {plain_ms:.1f} ms plain → ratio {enc_ratio:.3f} (target ≤ 1.15)"
    )
    print(
        f"logging:    {logged_ms:.1f} vs {unlogged_ms:.1f} ms off → ratio {log_ratio:.3f} (target ≤ 1.10)"
    )


def paired(
    first: Callable[[], float], second: Callable[[], float], rounds: int = ROUNDS
) -> tuple[float, float, float]:
    """Median of each, and the median of their ratio within a round. The two run next
    to each other in turns (first, second; second, first; ...): this kind of machine
    drifts by a third within minutes, which a comparison of runs minutes apart would read
    as the cost of encryption or logging."""
    times: list[tuple[float, float]] = []
    for i in range(rounds):
        if i % 2 == 0:
            a = first()
            b = second()
        else:
            b = second()
            a = first()
        times.append((a, b))
    return (
        statistics.median(a for a, _ in times),
        statistics.median(b for _, b in times),
        statistics.median(a / b for a, b in times),
    )


if __name__ == "__main__":
    main()
