"""A fuller world for authorization tests: every kind of actor, and sample ids for every URL."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from accounts.models import Practice, Role, User
from consent.models import AccessGrant, InspectorMandate
from consent.services import grant_create, grant_revoke
from dossiers.models import Attachment, Client, Goal
from tests.personas import Cast, make_cast, make_user, register_client_with_dossier


@dataclass
class World:
    cast: Cast
    actors: dict[str, User | None] = field(default_factory=dict)
    samples: dict[str, Any] = field(default_factory=dict)


def _grant(cast: Cast, colleague: User, **overrides: Any) -> AccessGrant:
    today = timezone.localdate()
    data = {
        "can_write": False,
        "valid_from": today - datetime.timedelta(days=1),
        "valid_until": today + datetime.timedelta(days=7),
        "consent_given_on": today,
        "consent_method": "schriftelijk",
    }
    data.update(overrides)
    client = Client.objects.get(pk=cast.dossier.client_id)
    return grant_create(actor=cast.anna, client=client, colleague=colleague, data=data)


def _mandate(
    cast: Cast, username: str, clients: list[Client], *, expired: bool = False
) -> User:
    inspector = make_user(
        username, Role.INSPECTOR, None, name=f"{username.title()} Inspecteur"
    )
    now = timezone.now()
    start = now - datetime.timedelta(days=20 if expired else 1)
    mandate = InspectorMandate.objects.create(
        practice_id=cast.anna.practice_id,
        inspector=inspector,
        case_reference=f"IGJ-{username}",
        valid_from=start,
        valid_until=start + datetime.timedelta(days=10 if expired else 14),
        created_by=cast.anna,
    )
    mandate.clients.set(clients)
    return inspector


def _privacy_statement(cast: Cast) -> Any:
    from practice.services import privacy_statement_publish

    return privacy_statement_publish(
        practice=cast.anna.practice,
        actor=cast.anna,
        contact="Praktijk Anna, Dorpsplein 2, Ergens",
        phone="030-1234567",
        complaints="Klachtenregeling SoloPartners",
        purposes="Zorg verlenen",
        extra="",
    )


def _rights_request(cast: Cast) -> Any:
    from portal.models import RightsRequest

    client = Client.objects.get(pk=cast.dossier.client_id)
    return RightsRequest.objects.create(
        practice_id=client.practice_id,
        client=client,
        key_ref=client.key_ref,
        kind="correctie",
        reason="klopt niet",
        filed_by=cast.bram,
        deadline=timezone.localdate(),
    )


def _finished_export(cast: Cast) -> Any:
    from dossiers.models import ExportJob, ExportStatus

    client = Client.objects.get(pk=cast.dossier.client_id)
    return ExportJob.objects.create(
        practice_id=client.practice_id,
        key_ref=client.key_ref,
        client=client,
        created_by=cast.anna,
        recipient="cliënt",
        status=ExportStatus.DONE,
        content=b"%PDF-1.4 test",
        finished_at=timezone.now(),
    )


def years_ago(years: int) -> datetime.date:
    """A birth date of someone exactly `years` old today (born 28 February for 29)."""
    today = timezone.localdate()
    try:
        return today.replace(year=today.year - years)
    except ValueError:
        return today.replace(year=today.year - years, day=28)


def until_sixteen(born: datetime.date) -> datetime.date:
    """The last day a parent acts for a child born on `born`."""
    from consent.models import birthday

    return birthday(born, 16) - datetime.timedelta(days=1)


def representation(
    cast: Cast, client: Client, user: User | None, **overrides: Any
) -> Any:
    """A representation as the zorgverlener registers it (with the model's age rules)."""
    from consent.services import representation_create

    today = timezone.localdate()
    data: dict[str, Any] = {
        "kind": "mentor",
        "name": user.display_name if user else "Gerrit Gemachtigd",
        "document_kind": "beschikking",
        "document_reference": "C/16/123456 / FA RK 26-1",
        "document_date": today - datetime.timedelta(days=40),
        "valid_from": today - datetime.timedelta(days=30),
        "valid_until": None,
    }
    data.update(overrides)
    found = representation_create(actor=cast.anna, client=client, data=data)
    if user is not None:
        type(found).objects.filter(pk=found.pk).update(user=user)
        found.refresh_from_db()
    return found


def _representatives(cast: Cast, bram_client: Client) -> dict[str, Any]:
    """Rita represents bram (mentor); Piet is a parent of a 14-year-old whose access the
    zorgverlener refused (WGBO 7:457); Evert's representation of bram has ended."""
    from consent.services import representation_refuse

    rita = make_user("rita", Role.CLIENT, None, name="Rita Mentor")
    representation(cast, bram_client, rita)
    piet = make_user("piet", Role.CLIENT, None, name="Piet Ouder")
    born = years_ago(14)
    teen = register_client_with_dossier(
        cast.anna, family_name="Jong", given_names="Tess", date_of_birth=born
    )
    teen_client = Client.objects.get(pk=teen.client_id)
    parent = representation(
        cast,
        teen_client,
        piet,
        kind="ouder",
        document_kind="gezag",
        valid_until=until_sixteen(born),
    )
    representation_refuse(
        actor=cast.anna, representation=parent, refused=True, reason="schadelijk"
    )
    evert = make_user("evert", Role.CLIENT, None, name="Evert Verlopen")
    past = timezone.localdate() - datetime.timedelta(days=60)
    representation(
        cast,
        bram_client,
        evert,
        kind="gemachtigde",
        document_kind="machtiging",
        valid_from=past,
        valid_until=past + datetime.timedelta(days=30),
    )
    sample = representation(cast, bram_client, None, kind="gemachtigde")
    return {"rita": rita, "piet": piet, "evert": evert, "sample": sample}


def make_world() -> World:
    cast = make_cast()
    practice_e = Practice.objects.create(name="Praktijk Erik")
    practice_f = Practice.objects.create(name="Praktijk Fenna")
    erik = make_user("erik", Role.CAREGIVER, practice_e, name="Erik Expired")
    fenna = make_user("fenna", Role.CAREGIVER, practice_f, name="Fenna Revoked")
    _grant(cast, cast.dirk)
    past = timezone.localdate() - datetime.timedelta(days=30)
    expired = _grant(cast, erik)
    AccessGrant.objects.filter(pk=expired.pk).update(
        valid_from=past, valid_until=past + datetime.timedelta(days=5)
    )
    grant_revoke(actor=cast.anna, grant=_grant(cast, fenna))
    gerda = make_user(
        "gerda", Role.CAREGIVER, Practice.objects.create(name="Praktijk Gerda")
    )
    revocable = _grant(
        cast, gerda
    )  # the sample for the revoke URL, so dirk's grant stays
    # Client B: another client of anna's, with a portal account of their own.
    other = register_client_with_dossier(
        cast.anna, family_name="Bezemer", given_names="Cees"
    )
    cees = make_user("cees", Role.CLIENT, None, name="Cees Bezemer")
    Client.objects.filter(pk=other.client_id).update(portal_user=cees)
    bram_client = Client.objects.get(pk=cast.dossier.client_id)
    other_client = Client.objects.get(pk=other.client_id)
    ingrid_mandate = InspectorMandate.objects.create(
        practice_id=cast.anna.practice_id,
        inspector=cast.ingrid,
        case_reference="IGJ-2026-001",
        valid_from=timezone.now() - datetime.timedelta(hours=1),
        valid_until=timezone.now() + datetime.timedelta(days=14),
        created_by=cast.anna,
    )
    ingrid_mandate.clients.set([bram_client])
    henk = _mandate(cast, "henk", [other_client])
    iris = _mandate(cast, "iris", [bram_client], expired=True)
    staff = make_user("sam", Role.STAFF, None, name="Sam Beheer")
    reps = _representatives(cast, bram_client)
    goal = Goal.objects.create(
        dossier=cast.dossier,
        practice_id=cast.dossier.practice_id,
        key_ref=cast.dossier.key_ref,
        created_by=cast.anna,
        description="doel",
    )
    attachment = Attachment.objects.create(
        dossier=cast.dossier,
        practice_id=cast.dossier.practice_id,
        key_ref=cast.dossier.key_ref,
        created_by=cast.anna,
        title="brief",
        content_type="image/png",
        size=1,
        content=b"x",
    )
    actors: dict[str, User | None] = {
        "anon": None,
        "owner": cast.anna,
        "other_zzp": cast.carla,
        "colleague": cast.dirk,
        "colleague_expired": erik,
        "colleague_revoked": fenna,
        "client_self": cast.bram,
        "client_other": cees,
        "inspector": cast.ingrid,
        "inspector_out_of_scope": henk,
        "inspector_expired": iris,
        "staff": staff,
        "representative": reps["rita"],
        "parent_refused": reps["piet"],
        "representative_expired": reps["evert"],
    }
    samples = {
        "dossier_id": cast.dossier.pk,
        "client_id": cast.dossier.client_id,
        "kind": "doelen",
        "entry_id": goal.pk,
        "attachment_id": attachment.pk,
        "grant_id": revocable.pk,
        "uidb64": "MQ",
        "request_id": _rights_request(cast).pk,
        "job_id": _finished_export(cast).pk,
        "token": "ongeldig-token",
        "practice_id": _privacy_statement(cast).practice_id,
        "passkey_id": _passkey(cast).pk,
        "mandate_id": ingrid_mandate.pk,
        "representation_id": reps["sample"].pk,
    }
    return World(cast=cast, actors=actors, samples=samples)


def _passkey(cast: Cast) -> Any:
    """Anna's passkey (a registered WebAuthn credential; only she may remove it)."""
    from tests.passkeys import SoftPasskey

    return SoftPasskey().stored_for(cast.anna)


def fill_every_field(world: World) -> dict[str, Any]:
    """Give bram's record (make_world's sample client) a value in every field a zorgverlener
    can fill, through the same services the screens use, each value easy to find on a page:
    a BSN and identity check, every kind of entry, a withdrawn consent, an extended retention,
    corrections with a reason, and (last, since it stops writes) a restriction. Returns the
    corrections' earlier texts and reasons, which the client must be able to read too."""
    from dossiers import lifecycle, services
    from dossiers.models import (
        CareMoment,
        Discussion,
        Dossier,
        Experience,
        Treatment,
        TreatmentConsent,
    )
    from portal.services import statement_add

    anna, bram = world.cast.anna, world.cast.bram
    day = datetime.date(2026, 2, 3)

    def access() -> Any:
        client = Client.objects.select_related("dossier").get(
            pk=world.cast.dossier.client_id
        )
        from dossiers.access import Access

        return Access(client=client, basis="own", can_write=True)

    client = access().client
    services.client_update(
        access=access(),
        actor=anna,
        data={
            "funding": "zvw",
            "bsn": "111222333",
            "id_document_type": "paspoort",
            "id_document_number": "NX-canary-17",
            "id_checked_on": datetime.date(2026, 1, 6),
            "address": "Kerkpad 9, 4321 ZX Elders",
        },
        expected_version=client.version,
        reason="canary-reden-verhuisd",
    )
    dossier = Dossier.objects.get(pk=world.cast.dossier.pk)
    services.dossier_update(
        access=access(),
        actor=anna,
        data={
            "end_date": datetime.date(2026, 12, 31),
            "circumstances": "canary-woont-met-kat",
        },
        expected_version=dossier.version,
        reason="canary-reden-situatie",
    )
    goal = Goal.objects.get(pk=world.samples["entry_id"])
    services.entry_update(
        access=access(),
        actor=anna,
        entry=goal,
        data={
            "kind": "voorkeur",
            "description": "canary-doel-zelf-boodschappen",
            "status": "bijgesteld",
            "evaluation": "canary-evaluatie-gaat-goed",
            "evaluate_on": datetime.date(2026, 6, 30),
        },
        expected_version=goal.version,
        reason="canary-reden-doel",
    )
    goal.refresh_from_db()
    treatment = services.entry_add(
        access=access(),
        actor=anna,
        model=Treatment,
        data={
            "title": "canary-behandeling-wondzorg",
            "description": "canary-toelichting-twee-keer-per-week",
            "proposed_on": day,
            "goals": [goal],
        },
    )
    consent = services.entry_add(
        access=access(),
        actor=anna,
        model=TreatmentConsent,
        data={
            "treatment": treatment,
            "scope": "canary-alleen-wondzorg",
            "given_on": day,
            "method": "schriftelijk",
            "given_by": "canary-dochter-als-vertegenwoordiger",
        },
    )
    services.consent_withdraw(
        access=access(),
        actor=anna,
        consent=consent,
        withdrawn_on=datetime.date(2026, 3, 4),
        note="canary-intrekking-liever-huisarts",
        expected_version=consent.version,
    )
    services.entry_add(
        access=access(),
        actor=anna,
        model=Discussion,
        data={
            "held_on": datetime.date(2026, 2, 10),
            "minutes": "canary-overleg-over-wondzorg",
            "treatments": [treatment],
        },
    )
    services.entry_add(
        access=access(),
        actor=anna,
        model=CareMoment,
        data={
            "date": datetime.date(2026, 2, 11),
            "start_time": datetime.time(9, 15),
            "end_time": datetime.time(9, 55),
            "activities": "canary-wond-verzorgd",
            "results": "canary-wond-droog",
            "goals": [goal],
        },
    )
    services.entry_add(
        access=access(),
        actor=anna,
        model=Experience,
        data={
            "recorded_on": datetime.date(2026, 2, 12),
            "text": "canary-ervaring-fijn-geholpen",
        },
    )
    services.attachment_add(
        access=access(),
        actor=anna,
        title="canary-brief-huisarts",
        content=b"%PDF-1.4 canary",
        content_type="application/pdf",
    )
    statement_add(access=access(), actor=bram, text="canary-eigen-verklaring")
    lifecycle.retention_extend(
        access=access(),
        actor=anna,
        until=datetime.date(2060, 1, 1),
        reason="canary-langer-bewaren-erfelijk",
    )
    lifecycle.restriction_set(
        access=access(), actor=anna, restricted=True, reason="canary-beperkt-op-verzoek"
    )
    return {
        "earlier": ["Dorpsstraat 1, 1234 AB Ergens", "Woont alleen.", "doel"],
        "reasons": [
            "canary-reden-verhuisd",
            "canary-reden-situatie",
            "canary-reden-doel",
        ],
    }
