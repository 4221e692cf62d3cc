"""Destruction that forgets (#26): after `dossier_destroy`, on either ground, a real pg_dump
of the main database and of the key store names the client nowhere, while the access log
keeps every event and still verifies; an earlier backup restored afterwards cannot be read."""

from __future__ import annotations

import datetime
import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from audit.models import AccessEvent
from dossiers import lifecycle, services
from dossiers.lifecycle import DestructionGround
from dossiers.models import CareMoment, Client, DestructionRecord, Dossier, Goal
from keystore.fields import Destroyed
from portal import services as portal_services
from portal.models import RequestKind, RightsRequest
from tests.personas import (
    PASSWORD,
    client_data,
    dossier_data,
    make_cast,
    owner_access,
    verified_login,
)
from tests.reliability.test_backup_restore import age_keys  # noqa: F401 (fixture)

pytestmark = pytest.mark.postgres
ROOT = Path(__file__).resolve().parents[2]
RESTORED = "ecd_i26_restore_forget"

IDENTITY = {
    "given_names": "Zofiakwa",
    "name_prefix": "ter",
    "family_name": "Kwakkelsteijn",
    "date_of_birth": datetime.date(1961, 3, 29),
    "email": "zofia.kwakkelsteijn@voorbeeld.nl",
    "phone": "0687654329",
    "address": "Lindelaan 77, 9999 ZZ Nergenshuizen",
    "funding": "zvw",
    "bsn": "111222333",
    "id_document_type": "paspoort",
    "id_document_number": "NX7KQ2P19",
    "id_checked_on": datetime.date(2026, 1, 5),
}
USERNAME = "zofia-portaal-q7"
CLINICAL = (
    "canary-diagnose-5d1e",
    "canary-omstandigheden-0b44",
    "canary-doel-e9a2",
    "canary-zorgmoment-71fc",
    "canary-verklaring-3c08",
    "canary-verzoek-aa51",
)


def forbidden_values() -> list[str]:
    """Everything of the client the dump may not contain, in the forms a dump writes."""
    dob = IDENTITY["date_of_birth"]
    return [
        IDENTITY["given_names"],
        IDENTITY["family_name"],
        f"{IDENTITY['given_names']} {IDENTITY['name_prefix']} {IDENTITY['family_name']}",
        dob.isoformat(),
        dob.strftime("%d-%m-%Y"),
        IDENTITY["email"],
        IDENTITY["email"].split("@")[0],
        IDENTITY["phone"],
        "Lindelaan",
        "Nergenshuizen",
        IDENTITY["bsn"],
        IDENTITY["id_document_number"],
        USERNAME,
        *CLINICAL,
    ]


def _url(name: str) -> str:
    db = settings.DATABASES["default"]
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"


def pg_dump(name: str) -> str:
    """A real, plain-text pg_dump of one database, as an operator would make it."""
    done = subprocess.run(
        ["pg_dump", "--no-owner", _url(name)],
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def fill_through_services_and_portal(cast: Any) -> tuple[Dossier, User]:
    """A client as in real use: registered with BSN and contact data, a filled dossier,
    invited, signed in to the portal, who viewed, filed a statement and a request, and
    downloaded an export."""
    client = services.client_register(actor=cast.anna, data=client_data(**IDENTITY))
    access = owner_access_for(client)
    dossier = services.dossier_open(
        access=access,
        actor=cast.anna,
        data=dossier_data(diagnosis=CLINICAL[0], circumstances=CLINICAL[1]),
    )
    access = owner_access(dossier)
    goal = services.entry_add(
        access=access, actor=cast.anna, model=Goal, data={"description": CLINICAL[2]}
    )
    services.entry_add(
        access=access,
        actor=cast.anna,
        model=CareMoment,
        data={
            "date": timezone.localdate(),
            "start_time": datetime.time(9),
            "end_time": datetime.time(10),
            "activities": CLINICAL[3],
            "results": "Goed gegaan",
        },
    )
    services.entry_update(
        access=access,
        actor=cast.anna,
        entry=goal,
        data={"description": CLINICAL[2] + " bijgesteld"},
        expected_version=goal.version,
        reason="typefout",
    )
    client = Client.objects.get(pk=dossier.client_id)
    services.client_update(
        access=owner_access(dossier),
        actor=cast.anna,
        data={"given_names": IDENTITY["given_names"] + "x"},
        expected_version=client.version,
        reason="typefout in de naam",
    )
    client = Client.objects.get(pk=dossier.client_id)
    services.client_update(
        access=owner_access(dossier),
        actor=cast.anna,
        data={"given_names": IDENTITY["given_names"]},
        expected_version=client.version,
        reason="terug",
    )
    _, link = portal_services.invitation_create(
        actor=cast.anna,
        client=client,
        email=IDENTITY["email"],
        base_url="https://ecd.example",
    )
    user = portal_services.invitation_accept(
        token=link.rstrip("/").rsplit("/", 1)[1], username=USERNAME, password=PASSWORD
    )
    portal = verified_login(HttpClient(), user)
    assert portal.get(reverse("portal:home")).status_code == 200
    assert portal.get(reverse("portal:who_saw")).status_code == 200
    posted = portal.post(
        reverse("portal:statement_create"), {"text": CLINICAL[4]}, follow=True
    )
    assert posted.status_code == 200
    posted = portal.post(
        reverse("portal:requests"),
        {"kind": RequestKind.CORRECTION, "reason": CLINICAL[5]},
        follow=True,
    )
    assert posted.status_code == 200
    exported = portal.get(reverse("dossiers:export_json", args=[dossier.pk]))
    assert exported.status_code == 200 and CLINICAL[0].encode() in exported.content
    # A password reset asked for with the client's address (finds the account by index).
    HttpClient().post(reverse("accounts:password_reset"), {"email": IDENTITY["email"]})
    return dossier, user


def owner_access_for(client: Client) -> Any:
    from dossiers.access import Access

    return Access(client=client, basis="own", can_write=True)


def destroy(cast: Any, dossier: Dossier, ground: str) -> DestructionRecord:
    request_ref = None
    if ground == DestructionGround.CLIENT_REQUEST:
        filed = portal_services.request_file(
            access=owner_access(dossier),
            actor=cast.anna,
            kind=RequestKind.DESTRUCTION,
            reason="verzoek van de cliënt",
        )
        portal_services.request_decide(
            actor=cast.anna, request=filed, status="toegekend", reason="toegekend"
        )
        request_ref = filed.pk
    else:
        Dossier.objects.filter(pk=dossier.pk).update(
            last_changed_at=timezone.now() - datetime.timedelta(days=366 * 21)
        )
    return lifecycle.dossier_destroy(
        access=owner_access(dossier),
        actor=cast.anna,
        ground=ground,
        request_ref=request_ref,
    )


def verify_audit(database: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "DATABASE_URL": _url(database),
        "KEYSTORE_DATABASE_URL": _url(settings.DATABASES["keys"]["NAME"]),
    }
    return subprocess.run(
        [sys.executable, "manage.py", "verify_audit", "--no-checkpoint"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize(
    "ground", [DestructionGround.CLIENT_REQUEST, DestructionGround.TERM_EXPIRED]
)
def test_after_destruction_a_real_pg_dump_names_the_client_nowhere(
    committed_db: None, ground: str
) -> None:
    """Neither database's dump holds the client's names, date of birth, e-mail, phone,
    address, BSN, document number, portal username or any clinical text; the tombstone
    and every access event stay, and the access log still verifies."""
    cast = make_cast()
    dossier, user = fill_through_services_and_portal(cast)
    main, keys = (
        settings.DATABASES["default"]["NAME"],
        settings.DATABASES["keys"]["NAME"],
    )
    before = pg_dump(main)
    # The test can fail: before destruction the application reads the client's values
    # (the dump itself holds them sealed: names, date of birth and username too, #26).
    assert IDENTITY["family_name"] not in before and USERNAME not in before
    assert (
        Client.objects.get(pk=dossier.client_id).family_name == IDENTITY["family_name"]
    )
    client_id = dossier.client_id
    events_before = set(
        AccessEvent.objects.filter(client_id=client_id).values_list("pk", flat=True)
    )
    client_events = AccessEvent.objects.filter(actor_id=user.pk).count()
    assert client_events >= 5  # signed in, viewed, filed, exported

    tombstone = destroy(cast, dossier, ground)

    dumps = {"main": pg_dump(main), "keys": pg_dump(keys)}
    found = [
        (name, value)
        for name, text in dumps.items()
        for value in forbidden_values()
        if value.lower() in text.lower()
    ]
    assert found == []
    # What stays: a pseudonymous tombstone and every access event, with ids and roles.
    kept = DestructionRecord.objects.get(pk=tombstone.pk)
    assert kept.client_ref == client_id and kept.legal_ground == ground
    assert kept.destroyed_by == cast.anna
    assert str(client_id) in dumps["main"]
    events_after = set(
        AccessEvent.objects.filter(client_id=client_id).values_list("pk", flat=True)
    )
    assert events_before < events_after
    assert AccessEvent.objects.filter(
        client_id=client_id, event_type="dossier.destroy"
    ).exists()
    assert AccessEvent.objects.filter(actor_id=user.pk).count() == client_events
    assert set(
        AccessEvent.objects.filter(actor_id=user.pk).values_list(
            "actor_role", flat=True
        )
    ) == {"client"}
    # The portal account is anonymised and signed out.
    account = User.objects.get(pk=user.pk)
    assert not account.is_active and not account.has_usable_password()
    assert account.username.startswith("vernietigd-")
    assert not account.sessions.exists()
    assert not RightsRequest.objects.filter(client_id=client_id).exists()
    verified = verify_audit(main)
    assert verified.returncode == 0, verified.stderr
    assert verified.stdout.startswith("OK")


@pytest.fixture
def restored_dbs() -> Any:
    """Two new, empty databases: one for the main dump, one for the key-store dump."""
    names = (RESTORED, RESTORED + "_keys")
    admin = _url("postgres")
    with psycopg.connect(admin, autocommit=True) as conn:
        for name in names:
            conn.execute(f"DROP DATABASE IF EXISTS {name}")
            conn.execute(f"CREATE DATABASE {name}")
    yield names
    with psycopg.connect(admin, autocommit=True) as conn:
        for name in names:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


READ_BACK = """
import json
from accounts.models import Invitation, User
from dossiers.models import Client, Dossier
client = Client.objects.get(pk="{client}")
dossier = Dossier.objects.get(pk="{dossier}")
user = User.objects.get(pk={user})
invitation = Invitation.objects.get(client=client)
print(json.dumps([
    str(client.given_names), str(client.name_prefix), str(client.family_name),
    client.date_of_birth, str(client.email), str(client.phone), str(client.address),
    str(client.bsn), str(client.id_document_number), str(dossier.diagnosis),
    str(dossier.circumstances), user.contact_email, user.first_name + user.last_name,
    str(invitation.email),
]))
"""


def in_restored_app(
    main: str, keys: str, *args: str
) -> subprocess.CompletedProcess[str]:
    """A management command of the application itself, run on the restored databases."""
    env = {
        **os.environ,
        "DATABASE_URL": _url(main),
        "KEYSTORE_DATABASE_URL": _url(keys),
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_an_earlier_backup_restored_after_destruction_cannot_be_read(
    committed_db: None,
    restored_dbs: tuple[str, str],
    age_keys,  # noqa: F811
    settings,
) -> None:
    """A backup of both databases made before destruction, restored afterwards into new
    databases: (a) a real pg_dump of the restored main database holds none of the client's
    names, date of birth, e-mail, phone, address, BSN, portal username or clinical text in
    clear (the rows are there, sealed), and (b) the application run on the restored pair
    cannot decrypt them: restoring the key store applied the shred list that destruction
    wrote beside the key-store backups, so the client's data key is gone there too."""
    from keystore import shred_list

    cast = make_cast()
    dossier, user = fill_through_services_and_portal(cast)
    client_id, key_ref = dossier.client_id, dossier.key_ref
    call_command("backup")
    main_dump = next(Path(settings.ECD_BACKUP_DIR).glob("*.main.age"))
    keys_dump = next(Path(settings.ECD_BACKUP_KEYS_DIR).glob("*.keys.age"))

    destroy(cast, dossier, DestructionGround.CLIENT_REQUEST)
    assert key_ref in shred_list.read([shred_list.default_path()])

    main, keys = restored_dbs
    call_command("restore", str(main_dump), into=_url(main), identity=age_keys["main"])
    said = io.StringIO()
    call_command(
        "restore",
        str(keys_dump),
        into=_url(keys),
        identity=age_keys["keys"],
        stdout=said,
    )
    # The key-store dump did hold the key: the restore destroyed it again.
    assert "1 sleutel(s) opnieuw vernietigd" in said.getvalue()

    # (a) The client is in the restored database, but only as ciphertext.
    dumps = {"main": pg_dump(main), "keys": pg_dump(keys)}
    assert str(client_id) in dumps["main"] and str(key_ref) in dumps["keys"]
    found = [
        (name, value)
        for name, text in dumps.items()
        for value in forbidden_values()
        if value.lower() in text.lower()
    ]
    assert found == []

    # (b) The application on the restored pair reads "[vernietigd]", never the values.
    code = READ_BACK.format(client=client_id, dossier=dossier.pk, user=user.pk)
    read = in_restored_app(main, keys, "shell", "-c", code)
    assert read.returncode == 0, read.stderr
    values = json.loads(read.stdout.strip().splitlines()[-1])
    gone = str(Destroyed())
    # names (3), date of birth (None: a date reads as nothing once its key is gone),
    # contact data, BSN, document number, clinical text (7), the account's sealed e-mail,
    # its (empty) name, the invitation's sealed e-mail.
    assert values == [gone] * 3 + [None] + [gone] * 7 + [gone, "", gone]
    verified = in_restored_app(main, keys, "verify_audit", "--no-checkpoint")
    assert verified.returncode == 0, verified.stderr
    assert verified.stdout.startswith("OK")
