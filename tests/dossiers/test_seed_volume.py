"""`seed_volume` at a small size: the counts asked for, encrypted and chained like the app's
own writes, and idempotent."""

import io

from django.core.management import call_command
from django.db import connection
from django.test import Client as HttpClient
from django.urls import reverse

from audit.models import AccessEvent
from dossiers.models import CareMoment, Client, Dossier
from tests.personas import verified_login

SIZES = [
    "--practices=3",
    "--clients=9",
    "--care-moments=40",
    "--events=300",
    "--big-dossier=12",
    "--big-client-events=60",
]


def seed() -> None:
    call_command("seed_volume", *SIZES, stdout=io.StringIO(), stderr=io.StringIO())


def test_it_makes_the_volume_asked_for_and_it_verifies() -> None:
    seed()
    assert Client.objects.count() == 9 and Dossier.objects.count() == 9
    assert CareMoment.objects.count() == 40
    assert AccessEvent.objects.count() == 300
    counts = sorted(
        CareMoment.objects.filter(dossier=d).count() for d in Dossier.objects.all()
    )
    assert counts[-1] == 12  # the big dossier
    per_client = sorted(
        AccessEvent.objects.filter(client_id=str(c.pk)).count()
        for c in Client.objects.all()
    )
    assert per_client[-1] >= 60  # the client with many events
    call_command("verify_audit", "--no-checkpoint", stdout=io.StringIO())
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT activities, address FROM dossiers_caremoment, dossiers_client LIMIT 1"
        )
        activities, address = cursor.fetchone()
    assert "douchen" not in activities.lower() and "Dorpsstraat" not in address


def test_a_second_run_adds_nothing() -> None:
    seed()
    before = (
        Client.objects.count(),
        CareMoment.objects.count(),
        AccessEvent.objects.count(),
    )
    seed()
    after = (
        Client.objects.count(),
        CareMoment.objects.count(),
        AccessEvent.objects.count(),
    )
    assert before == after


def test_the_seeded_big_dossier_opens_for_its_zorgverlener() -> None:
    from accounts.models import User

    seed()
    dossier = max(
        Dossier.objects.all(),
        key=lambda d: CareMoment.objects.filter(dossier=d).count(),
    )
    carer = User.objects.get(practice_id=dossier.practice_id)
    response = verified_login(HttpClient(), carer).get(
        reverse("dossiers:dossier_detail", args=[dossier.pk])
    )
    assert response.status_code == 200
    assert "Fictieve diagnose" in response.content.decode()
