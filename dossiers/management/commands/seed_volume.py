"""Fill the database with fictional, realistic volume for the benchmarks (issue 11).

Defaults: 200 zorgverleners (one practice each), 6,000 clients with 6,000 dossiers, 600,000
zorgmomenten (one dossier holds `--big-dossier` of them) and 5,000,000 access events (one
client has `--big-client-events` of them). Idempotent and resumable: each practice is written
in one transaction and skipped when it exists, so an interrupted run continues where it
stopped. Everything is encrypted and chained exactly as the app does it; only the per-row
services are bypassed for bulk inserts.
"""

from __future__ import annotations

import datetime
import random
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import Practice, Role, User
from audit.models import EventType
from audit.services import record_many
from dossiers.models import CareMoment, Client, Dossier
from keystore import crypto

PREFIX = "Volume-praktijk "
GIVEN = [
    "Anna",
    "Bram",
    "Cor",
    "Dina",
    "Eef",
    "Fatima",
    "Gerrit",
    "Hanna",
    "Ids",
    "Joke",
]
FAMILY = [
    "de Vries",
    "Jansen",
    "Bakker",
    "Visser",
    "Smit",
    "Meijer",
    "Mulder",
    "Bos",
    "Yılmaz",
]
ACTIVITIES = [
    "Hulp bij douchen en aankleden; huid gecontroleerd.",
    "Wondverzorging onderbeen, verband gewisseld.",
    "Medicatie klaargezet en inname gecontroleerd.",
    "Steunkousen aangetrokken; cliënt voelde zich goed.",
]


def _spread(total: int, parts: int) -> list[int]:
    base, extra = divmod(total, parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]


class Command(BaseCommand):
    help = (
        "Vult de database met fictieve volumegegevens voor de benchmarks (idempotent)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--practices", type=int, default=200)
        parser.add_argument("--clients", type=int, default=6000)
        parser.add_argument("--care-moments", type=int, default=600_000)
        parser.add_argument("--events", type=int, default=5_000_000)
        parser.add_argument("--big-dossier", type=int, default=2000)
        parser.add_argument("--big-client-events", type=int, default=50_000)
        parser.add_argument("--seed", type=int, default=20261122)

    def handle(self, *args: Any, **o: Any) -> None:
        practices = o["practices"]
        clients = _spread(o["clients"], practices)
        # The big dossier sits in practice 0; the other moments are spread over all dossiers.
        moments = _spread(o["care_moments"] - o["big_dossier"], o["clients"] - 1)
        events = _spread(o["events"] - o["big_client_events"], practices)
        for index in range(practices):
            name = f"{PREFIX}{index:03d}"
            if not Practice.objects.filter(name=name).exists():
                rng = random.Random(o["seed"] + index)  # noqa: S311 (fictional data, not secrets)
                first = sum(clients[:index])
                per_client = [
                    o["big_dossier"]
                    if (index == 0 and i == 0)
                    else moments[first + i - 1]
                    for i in range(clients[index])
                ]
                big_events = o["big_client_events"] if index == 0 else 0
                self._practice(name, index, per_client, events[index], big_events, rng)
            self._progress(index + 1, practices)
        self.stderr.write("")
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:  # fresh statistics after a bulk load
                cursor.execute("ANALYZE")
        self.stdout.write(
            f"{practices} praktijken, {o['clients']} cliënten, {o['care_moments']} zorgmomenten, "
            f"{o['events']} toegangsgebeurtenissen aanwezig."
        )

    def _progress(self, done: int, total: int) -> None:
        width = 40
        filled = width * done // total
        self.stderr.write(
            f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} praktijken",
            ending="",
        )
        sys.stderr.flush()

    @transaction.atomic
    def _practice(
        self,
        name: str,
        index: int,
        per_client: list[int],
        event_count: int,
        big_events: int,
        rng: random.Random,
    ) -> None:
        # Long because it is data: one practice's worth of clients, entries and events, in
        # the proportions the benchmarks assume.
        practice = Practice.objects.create(name=name)
        carer = User.objects.create(
            username=f"volume{index:03d}",
            role=Role.CAREGIVER,
            practice=practice,
            first_name=rng.choice(GIVEN),
            last_name=rng.choice(FAMILY),
            agb_code=f"{90000000 + index:08d}",
        )
        carer.set_unusable_password()
        carer.save(update_fields=["password"])
        client_rows, dossier_rows, moment_rows = [], [], []
        start = datetime.date(2024, 1, 8)
        for n, count in enumerate(per_client):
            key_ref = crypto.create_data_key()
            client = Client(
                practice=practice,
                key_ref=key_ref,
                created_by=carer,
                given_names=rng.choice(GIVEN),
                family_name=f"{rng.choice(FAMILY)} {index:03d}-{n:03d}",
                date_of_birth=datetime.date(
                    1930 + rng.randrange(70),
                    1 + rng.randrange(12),
                    1 + rng.randrange(28),
                ),
                funding="wmo",
                email=f"client{index}-{n}@example.nl",
                phone="0612345678",
                address=f"Dorpsstraat {n + 1}, 1234 AB Ergens",
            )
            dossier = Dossier(
                practice=practice,
                key_ref=key_ref,
                created_by=carer,
                client=client,
                practitioner_name=carer.display_name,
                practitioner_profession="wijkverpleegkundige",
                agb_code=carer.agb_code,
                legal_basis="overeenkomst",
                circumstances="Woont zelfstandig; mantelzorg door familie.",
                diagnosis="Fictieve diagnose voor de benchmark.",
                start_date=start,
            )
            client_rows.append(client)
            dossier_rows.append(dossier)
            for m in range(count):
                day = start + datetime.timedelta(days=m // 2)
                moment_rows.append(
                    CareMoment(
                        practice=practice,
                        key_ref=key_ref,
                        created_by=carer,
                        dossier=dossier,
                        date=day,
                        start_time=datetime.time(8 + (m % 2) * 9, 0),
                        end_time=datetime.time(8 + (m % 2) * 9, 45),
                        activities=rng.choice(ACTIVITIES),
                        results="Doel gehaald." if m % 3 else "",
                    )
                )
        Client.objects.bulk_create(client_rows, batch_size=1000)
        Dossier.objects.bulk_create(dossier_rows, batch_size=1000)
        CareMoment.objects.bulk_create(moment_rows, batch_size=2000)
        targets = [(c, d) for c, d in zip(client_rows, dossier_rows, strict=True)]
        chain = str(practice.pk)
        base = timezone.now() - datetime.timedelta(days=365)
        batch: list[dict[str, Any]] = []
        total = event_count + big_events
        for e in range(total):
            client, dossier = (
                targets[0] if e < big_events else targets[e % len(targets)]
            )
            batch.append(self._event(practice, carer, client, dossier, base, e, total))
            if len(batch) == 20_000:
                record_many(chain, batch)
                batch = []
        if batch:
            record_many(chain, batch)

    @staticmethod
    def _event(
        practice: Practice,
        carer: User,
        client: Client,
        dossier: Dossier,
        base: datetime.datetime,
        e: int,
        total: int,
    ) -> dict[str, Any]:
        # Long because it is data: the fields of one realistic access event.
        reading = e % 5 != 0
        return {
            "occurred_at": base
            + datetime.timedelta(seconds=e * 31_536_000 // max(total, 1)),
            "actor_id": carer.pk,
            "actor_name": carer.display_name,
            "actor_role": carer.role,
            "actor_agb": carer.agb_code,
            "responsible_id": carer.pk,
            "responsible_name": carer.display_name,
            "purpose": "zorgverlening",
            "practice_id": str(practice.pk),
            "client_id": str(client.pk),
            "dossier_id": str(dossier.pk),
            "action": "R" if reading else "C",
            "event_type": EventType.DOSSIER_VIEW
            if reading
            else EventType.CAREMOMENT_CREATE,
            "object_type": "dossier" if reading else "caremoment",
            "object_id": str(dossier.pk),
            "fields": [] if reading else ["activities", "date", "results"],
            "outcome": "success",
            "checks": {"autorisatie": "ok"},
            "basis": "own",
            "basis_ref": "",
            "case_reference": "",
            "emergency": False,
            "recipient": "",
            "detail": "",
            "source_ip": "127.0.0.1",
            "source_system": "ecd",
            "request_id": "",
        }
