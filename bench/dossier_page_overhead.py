"""What encryption and access logging cost on the dossier page with 2,000 zorgmomenten.

In one run: the same page, same data, with encryption on and off (data seeded twice), and
with read logging on and off. Targets: encryption ≤ 15 % extra, logging ≤ 10 % extra.
Run: .venv/bin/python bench/dossier_page_overhead.py
"""

from __future__ import annotations

import datetime

from common import median_ms, save, setup_django

MOMENTS = 2000


def seed(anna, family: str, encrypted: bool):
    from django.test import override_settings

    from dossiers.models import CareMoment, Dossier, Goal
    from tests.personas import register_client_with_dossier

    existing = Dossier.objects.filter(client__family_name=family).first()
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
    from django.test import Client as HttpClient
    from django.test import override_settings
    from django.urls import reverse

    from accounts.models import Practice, Role, User

    practice, _ = Practice.objects.get_or_create(name="Bench praktijk")
    anna, _created = User.objects.get_or_create(
        username="bench-anna",
        defaults={"role": Role.CAREGIVER, "practice": practice, "first_name": "Anna"},
    )
    encrypted = seed(anna, "Versleuteld", encrypted=True)
    plain = seed(anna, "Onversleuteld", encrypted=False)
    http = HttpClient()
    http.force_login(anna)
    url_enc = reverse("dossiers:dossier_detail", args=[encrypted.pk])
    url_plain = reverse("dossiers:dossier_detail", args=[plain.pk])

    def get(url: str):
        def call() -> None:
            response = http.get(url)
            assert response.status_code == 200

        return call

    for url in (url_enc, url_plain):  # warm up
        median_ms(get(url), repeat=5, rounds=1)
    enc_ms = median_ms(get(url_enc), repeat=40)
    plain_ms = median_ms(get(url_plain), repeat=40)
    with override_settings(ECD_AUDIT_READS_ENABLED=False):
        unlogged_ms = median_ms(get(url_enc), repeat=40)
    logged_ms = median_ms(get(url_enc), repeat=40)
    encryption = {
        "page_ms_encrypted": round(enc_ms, 2),
        "page_ms_plain": round(plain_ms, 2),
        "ratio": round(enc_ms / plain_ms, 3),
        "target_ratio_max": 1.15,
        "care_moments": MOMENTS,
    }
    logging = {
        "page_ms_logged": round(logged_ms, 2),
        "page_ms_unlogged": round(unlogged_ms, 2),
        "ratio": round(logged_ms / unlogged_ms, 3),
        "target_ratio_max": 1.10,
        "care_moments": MOMENTS,
    }
    save("dossier_page_encryption", encryption)
    save("dossier_page_logging", logging)
    print(
        f"encryption: {enc_ms:.1f} ms vs {plain_ms:.1f} ms plain  → ratio {enc_ms / plain_ms:.3f} (target ≤ 1.15)"
    )
    print(
        f"logging:    {logged_ms:.1f} ms vs {unlogged_ms:.1f} ms off → ratio {logged_ms / unlogged_ms:.3f} (target ≤ 1.10)"
    )


if __name__ == "__main__":
    main()
