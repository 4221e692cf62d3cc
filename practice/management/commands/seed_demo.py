"""Fictional demo data: one zorgverlener with clients, one client account, one inspector."""

from __future__ import annotations

import base64
import datetime
import json
import secrets
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Practice, Role, User
from consent.models import InspectorMandate
from dossiers import services
from dossiers.access import Access
from dossiers.models import (
    CareMoment,
    Client,
    Experience,
    Goal,
    Treatment,
    TreatmentConsent,
)
from practice.services import privacy_statement_publish

CLIENTS = [
    ("Johanna Maria", "van", "Dijk", datetime.date(1941, 3, 14), "wlz", "111222333"),
    ("Pieter", "", "Bakker", datetime.date(1958, 11, 2), "zvw", "123456782"),
    ("Fatima", "", "El Amrani", datetime.date(1987, 6, 21), "wmo", ""),
]


class Command(BaseCommand):
    help = "Vult de database met fictieve demogegevens (idempotent)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--json", help="Schrijf de demo-accounts als JSON naar dit bestand."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        accounts = self.seed()
        if options.get("json"):
            Path(options["json"]).write_text(
                json.dumps(accounts, indent=2), encoding="utf-8"
            )
        self.stdout.write("Demo-accounts:")
        for account in accounts:
            self.stdout.write(
                f"  {account['role']:<13} {account['username']:<7} {account['password']:<26} "
                f"TOTP-sleutel {account['totp_secret']}"
            )
        self.stdout.write(
            "Huidige inlogcode van een demo-account: .venv/bin/python manage.py demo_code anna"
        )

    @transaction.atomic
    def seed(self) -> list[dict[str, str]]:
        # Long because it is data: the demo practice, its people and their accounts, written
        # out.
        practice, _ = Practice.objects.get_or_create(name="Thuiszorg Anna de Wit")
        accounts = []
        specs = [
            (
                "anna",
                "Anna",
                "de Wit",
                Role.CAREGIVER,
                practice,
                "12345678",
                "wijkverpleegkundige",
            ),
            ("bram", "Pieter", "Bakker", Role.CLIENT, None, "", ""),
            ("ingrid", "Ingrid", "Jansen", Role.INSPECTOR, None, "", ""),
        ]
        for username, first, last, role, prac, agb, profession in specs:
            user, _created = User.objects.get_or_create(
                username=username,
                defaults={
                    "first_name": first,
                    "last_name": last,
                    "role": role,
                    "practice": prac,
                    "agb_code": agb,
                    "profession": profession,
                    "email": f"{username}@example.nl",
                },
            )
            password = f"demo-{username}-{secrets.token_hex(4)}-zin"
            user.set_password(password)
            user.save()
            device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
            if device is None:
                device = TOTPDevice.objects.create(
                    user=user, name="demo", confirmed=True
                )
            secret = base64.b32encode(device.bin_key).decode()
            accounts.append(
                {
                    "username": username,
                    "password": password,
                    "role": role,
                    "totp_secret": secret,
                }
            )
        anna = User.objects.get(username="anna")
        if (
            not practice.privacy_statements.exists()
        ):  # the portal shows its phone number
            privacy_statement_publish(
                practice=practice,
                actor=anna,
                contact="Anna de Wit, Dorpsstraat 1, 1234 AB Ergens, anna@example.nl",
                complaints="Bel of mail Anna; komen we er samen niet uit, dan de "
                "geschilleninstantie van de beroepsvereniging.",
                purposes="Goede zorg geven en verantwoorden (WGBO, Wkkgz).",
                extra="",
                phone="020 123 4567",
            )
        now = timezone.now()
        InspectorMandate.objects.update_or_create(
            inspector=User.objects.get(username="ingrid"),
            defaults={
                "practice": practice,
                "case_reference": "IGJ-DEMO-2026",
                "all_clients": True,
                "valid_from": now - datetime.timedelta(hours=1),
                "valid_until": now + datetime.timedelta(days=14),
                "created_by": anna,
            },
        )
        if not Client.objects.filter(practice=practice).exists():
            made = {
                family: self._client(anna, given, prefix, family, born, funding, bsn)
                for given, prefix, family, born, funding, bsn in CLIENTS
            }
            bram = User.objects.get(username="bram")
            Client.objects.filter(pk=made["Bakker"].pk).update(portal_user=bram)
        return accounts

    def _client(
        self,
        anna: User,
        given: str,
        prefix: str,
        family: str,
        born: Any,
        funding: str,
        bsn: str,
    ) -> Client:
        # Long because it is data: one demo client with every part of a dossier written out,
        # so the demo shows each screen filled.
        today = timezone.localdate()
        data: dict[str, Any] = {
            "given_names": given,
            "name_prefix": prefix,
            "family_name": family,
            "date_of_birth": born,
            "funding": funding,
            "bsn": bsn,
            "phone": "06-12345678",
            "email": f"{family.lower().replace(' ', '')}@example.nl",
        }
        if bsn:
            data |= {
                "id_document_type": "id-kaart",
                "id_document_number": "IXP" + bsn[:6],
                "id_checked_on": today,
            }
        client = services.client_register(actor=anna, data=data)
        access = Access(client=client, basis="own", can_write=True)
        services.dossier_open(
            access=access,
            actor=anna,
            data={
                "practitioner_name": "Anna de Wit",
                "practitioner_profession": "wijkverpleegkundige",
                "agb_code": "12345678",
                "legal_basis": "overeenkomst",
                "circumstances": "Woont zelfstandig, dochter komt twee keer per week.",
                "diagnosis": "Diabetes mellitus type 2, wondzorg onderbeen.",
                "start_date": today - datetime.timedelta(days=60),
            },
        )
        goal = services.entry_add(
            access=access,
            actor=anna,
            model=Goal,
            data={
                "kind": "doel",
                "description": "Wond aan het onderbeen is binnen acht weken dicht.",
                "status": "lopend",
            },
        )
        treatment = services.entry_add(
            access=access,
            actor=anna,
            model=Treatment,
            data={
                "title": "Wondverzorging drie keer per week",
                "description": "Reinigen en verbinden.",
                "proposed_on": today - datetime.timedelta(days=58),
                "goals": [goal],
            },
        )
        if family != "El Amrani":  # one dossier is left incomplete on purpose
            services.entry_add(
                access=access,
                actor=anna,
                model=TreatmentConsent,
                data={
                    "treatment": treatment,
                    "scope": "Wondverzorging",
                    "given_on": today - datetime.timedelta(days=55),
                    "method": "mondeling",
                    "given_by": "de cliënt zelf",
                },
            )
            services.entry_add(
                access=access,
                actor=anna,
                model=Experience,
                data={
                    "recorded_on": today - datetime.timedelta(days=7),
                    "text": "Voelt zich geholpen, pijn is minder.",
                },
            )
        for days in (50, 30, 10):
            services.entry_add(
                access=access,
                actor=anna,
                model=CareMoment,
                data={
                    "date": today - datetime.timedelta(days=days),
                    "start_time": datetime.time(9, 0),
                    "end_time": datetime.time(9, 45),
                    "activities": "Wond gereinigd en verbonden.",
                    "results": "Wond kleiner, geen tekenen van infectie.",
                    "goals": [goal],
                },
            )
        return client
