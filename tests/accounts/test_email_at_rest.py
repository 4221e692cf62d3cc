"""E-mail at rest (#26): no clear e-mail column holds an address; password reset finds the
account through a blind index; a portal account's address is sealed under its client's
data key; django-auditlog's actor_email stays empty; a client's name stays out of the access
log and of auditlog, while the caregiver still sees earlier names as corrections."""

from __future__ import annotations

import json

from auditlog.models import LogEntry
from django.core import mail
from django.db import connection
from django.test import Client as HttpClient
from django.urls import reverse

from accounts.models import User, email_index
from audit.models import AccessEvent, DayLine
from dossiers import services
from dossiers.models import Client, OwnStatement, Revision
from portal import services as portal_services
from tests.personas import PASSWORD, Cast, owner_access, verified_login


def _raw(table: str, column: str, where: str, value: object) -> object:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE {where} = %s", [value])
        return cursor.fetchone()[0]


def test_a_users_address_is_sealed_and_found_by_its_blind_index(cast: Cast) -> None:
    """Set the Django way, the address lands encrypted; the clear column is empty."""
    cast.anna.email = "Anna.de.Wit@Example.nl"
    cast.anna.save()
    assert _raw("accounts_user", "email", "id", cast.anna.pk) == ""
    sealed = str(_raw("accounts_user", "email_sealed", "id", cast.anna.pk))
    assert sealed.startswith("e1:") and "example" not in sealed.lower()
    fresh = User.objects.get(pk=cast.anna.pk)
    assert fresh.contact_email == "Anna.de.Wit@Example.nl"
    assert fresh.email_index == email_index("anna.de.wit@example.nl")
    reply = HttpClient().post(
        reverse("accounts:password_reset"), {"email": "anna.de.wit@example.nl"}
    )
    assert reply.status_code == 302
    assert [m.to for m in mail.outbox] == [["Anna.de.Wit@Example.nl"]]


def test_an_invited_clients_address_is_sealed_under_the_clients_key(
    cast: Cast,
) -> None:
    """Invitation and portal account hold the address only as ciphertext of the client's key."""
    client = Client.objects.get(pk=cast.dossier.client_id)
    client.portal_user = None
    client.save(update_fields=["portal_user"])
    invitation, link = portal_services.invitation_create(
        actor=cast.anna,
        client=client,
        email="nieuw.portaal@voorbeeld.nl",
        base_url="https://ecd.example",
    )
    raw = str(_raw("accounts_invitation", "email", "id", invitation.pk.hex))
    if connection.vendor == "postgresql":
        raw = str(_raw("accounts_invitation", "email", "id", invitation.pk))
    assert raw.startswith("e1:") and "voorbeeld" not in raw
    user = portal_services.invitation_accept(
        token=link.rstrip("/").rsplit("/", 1)[1],
        username="nieuwportaal",
        password=PASSWORD,
    )
    user = User.objects.get(pk=user.pk)
    assert user.key_ref == client.key_ref
    assert user.contact_email == "nieuw.portaal@voorbeeld.nl"
    assert _raw("accounts_user", "email", "id", user.pk) == ""


def test_a_clients_name_is_in_no_log_but_earlier_names_stay_for_the_caregiver(
    cast: Cast,
) -> None:
    """The access log, who-saw-what and auditlog hold no name or address of the client who
    acted; a corrected name is kept, encrypted, as a correction the caregiver can read."""
    cast.bram.email = "bram.portaal@voorbeeld.nl"
    cast.bram.save()
    portal = verified_login(HttpClient(), cast.bram)
    portal.post(reverse("portal:statement_create"), {"text": "Mijn eigen verklaring"})
    assert OwnStatement.objects.filter(dossier=cast.dossier).exists()
    events = AccessEvent.objects.filter(actor_id=cast.bram.pk)
    assert events.exists()
    assert set(events.values_list("actor_name", flat=True)) == {""}
    assert (
        not DayLine.objects.filter(actor_id=cast.bram.pk)
        .exclude(actor_name="")
        .exists()
    )
    entries = LogEntry.objects.filter(actor_id=cast.bram.pk)
    assert entries.exists()
    assert set(entries.values_list("actor_email", flat=True)) <= {"", None}

    client = Client.objects.get(pk=cast.dossier.client_id)
    services.client_update(
        access=owner_access(cast.dossier),
        actor=cast.anna,
        data={"family_name": "Dalen-Jansen"},
        expected_version=client.version,
        reason="naam na huwelijk",
    )
    changes = " ".join(
        json.dumps(e.changes) for e in LogEntry.objects.all() if e.changes
    )
    assert "Dalen" not in changes and "1950" not in changes
    kept = Revision.objects.get(client_id=client.pk, object_type="client")
    assert json.loads(str(kept.old_values)) == {"family_name": "Dalen"}
