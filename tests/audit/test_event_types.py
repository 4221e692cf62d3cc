"""One audit vocabulary (#27, #32): every event type is an `EventType`, every one of them is
written by the code that owns it (walked here through the app's own views and services),
and the inspector's case reference and checks are on every event the inspector causes,
copies included."""

from __future__ import annotations

import ast
import datetime
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import middleware
from accounts.models import Role
from audit.models import AccessEvent, EventType
from consent.models import InspectorMandate, Representation
from consent.services import colleague_invite, mandate_create, representation_refuse
from dossiers import lifecycle, services
from dossiers.entries import KINDS
from dossiers.models import Client, ExportJob, ExportKind, ExportStatus
from portal import services as portal_services
from practice.services import principal_check_add, subcontract_save
from tests.accounts.helpers import current_code, device_for, password_login
from tests.accounts.test_sign_in_methods_page import signed_in_with_passkey
from tests.dossiers.test_export_outside import build
from tests.passkeys import SoftPasskey
from tests.personas import (
    PASSWORD,
    client_named,
    make_user,
    owner_access,
    register_client_with_dossier,
    verified_login,
)
from tests.routes import all_routes
from tests.world import World, make_world, representation

ROOT = Path(settings.BASE_DIR)
APPS = (
    "accounts",
    "audit",
    "backups",
    "consent",
    "dossiers",
    "keystore",
    "portal",
    "practice",
)
QUERIES = {"filter", "exclude", "get", "create"}  # reading the log by type is fine


def test_no_event_type_is_a_free_string() -> None:
    """Static: no writer of the log is handed a string literal or f-string as event type
    (mypy checks the type; this also covers code mypy does not see)."""
    free = []
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text())):
                if not isinstance(node, ast.Call):
                    continue
                name = getattr(node.func, "id", getattr(node.func, "attr", ""))
                if name in QUERIES:
                    continue
                values = [k.value for k in node.keywords if k.arg == "event_type"] + (
                    node.args[2:3] if name == "record_access" else []
                )
                for value in values:
                    if isinstance(value, ast.JoinedStr | ast.BinOp) or (
                        isinstance(value, ast.Constant) and isinstance(value.value, str)
                    ):
                        free.append(f"{path.relative_to(ROOT)}:{node.lineno} {name}")
    assert not free, free


def _walk(world: World, actors: tuple[str, ...], method: str) -> None:
    for actor_name in actors:
        http = verified_login(HttpClient(), world.actors[actor_name])
        for route in all_routes():
            if route.name == "accounts:logout":
                continue  # signing out would end this walk's session
            getattr(http, method)(route.url(world.samples))


def _entries(world: World) -> None:
    """Every entry kind: added, opened, changed and its history read, by the owner."""
    cast = world.cast
    build(cast, ended=False)
    access = owner_access(cast.dossier)
    http = verified_login(HttpClient(), cast.anna)
    for slug, kind in KINDS.items():
        for entry in kind.model.objects.filter(dossier=cast.dossier):
            args = [cast.dossier.pk, slug, entry.pk]
            http.get(reverse("dossiers:entry_edit", args=args))
            http.get(reverse("dossiers:entry_history", args=args))
            services.entry_update(
                access=access,
                actor=cast.anna,
                entry=entry,
                data={},
                expected_version=entry.version,
            )
    services.dossier_update(
        access=access, actor=cast.anna, data={}, expected_version=cast.dossier.version
    )
    services.client_update(
        access=access,
        actor=cast.anna,
        data={},
        expected_version=Client.objects.get(pk=cast.dossier.client_id).version,
    )


def _copies(world: World) -> None:
    cast = world.cast
    http = verified_login(HttpClient(), cast.anna)
    url = reverse("dossiers:export_pdf", args=[cast.dossier.pk])
    for kind in ExportKind:
        http.post(url, {"kind": kind.value, "protect": ""})
    client = Client.objects.get(pk=cast.dossier.client_id)
    package = ExportJob.objects.create(
        practice_id=client.practice_id,
        key_ref=client.key_ref,
        client=client,
        created_by=cast.anna,
        recipient="cliënt",
        kind=ExportKind.PACKAGE,
        status=ExportStatus.DONE,
        content=b"PK",
        finished_at=timezone.now(),
    )
    http.get(reverse("dossiers:export_download", args=[cast.dossier.pk, package.pk]))


def _lifecycle(world: World) -> None:
    cast = world.cast
    access = owner_access(cast.dossier)
    lifecycle.retention_extend(
        access=access,
        actor=cast.anna,
        until=datetime.date.today() + datetime.timedelta(days=365 * 40),
        reason="lopende klacht",
    )
    lifecycle.restriction_set(access=access, actor=cast.anna, restricted=True)
    lifecycle.restriction_set(
        access=owner_access(cast.dossier), actor=cast.anna, restricted=False, reason="x"
    )
    other = client_named("Bezemer")
    lifecycle.dossier_destroy(
        access=owner_access(other.dossier),
        actor=cast.anna,
        ground=lifecycle.DestructionGround.CLIENT_REQUEST,
        request_ref=world.samples["request_id"],
    )


def _portal_and_practice(world: World) -> None:
    cast = world.cast
    access = owner_access(cast.dossier)
    client = access.client
    _invitation, link = portal_services.invitation_create(
        actor=cast.anna, client=client, email="nieuw@example.nl", base_url="http://x"
    )
    Client.objects.filter(pk=client.pk).update(portal_user=None)
    portal_services.invitation_accept(
        token=link.rstrip("/").rsplit("/", 1)[1],
        username="bram2",
        password="een-lang-en-goed-wachtwoord-42",
    )
    portal_services.statement_add(
        access=owner_access(cast.dossier), actor=cast.bram, text="Mijn kant"
    )
    subcontract = subcontract_save(
        access=owner_access(cast.dossier),
        actor=cast.anna,
        principal="Thuiszorg Groot",
        agreed_on=datetime.date.today(),
        leading="hoofdaannemer",
    )
    principal_check_add(
        subcontract=subcontract,
        actor=cast.anna,
        checked_on=datetime.date.today(),
        items={"plan": {"result": "aanwezig", "note": ""}},
    )
    mandate_create(
        actor=cast.anna,
        username="inge",
        name="Inge Toezicht",
        email="inge@example.nl",
        data={
            "case_reference": "IGJ-9",
            "valid_from": timezone.now(),
            "valid_until": timezone.now() + datetime.timedelta(days=7),
            "all_clients": True,
            "may_export": False,
        },
        clients=[],
        base_url="https://ecd.example",
    )


def _accounts(world: World, clock: dict[str, float]) -> None:
    """Sign-in, second factor, sessions and passwords, through the accounts views."""
    cast = world.cast
    fresh = HttpClient()
    password_login(fresh, "carla", "fout-fout-fout")  # login.failed
    for _ in range(12):
        password_login(fresh, "carla", "fout-fout-fout", ip="10.9.9.9")  # refused
    http = HttpClient()
    password_login(http, "dirk")  # login
    setup = http.get(reverse("accounts:totp_setup"))
    assert setup.status_code == 200, (setup.status_code, setup.get("Location"))
    http.get(reverse("accounts:otp_qr"))
    pending = TOTPDevice.objects.get(user=cast.dirk, confirmed=False)
    http.post(reverse("accounts:totp_setup"), {"token": current_code(pending)})
    failing = HttpClient()
    password_login(failing, "erik")
    failing.get(reverse("accounts:totp_setup"))
    failing.post(reverse("accounts:totp_setup"), {"token": "000000"})
    curious = HttpClient()
    password_login(curious, "fenna")
    curious.get(reverse("accounts:otp_qr"))  # no enrolment asked for: otp.qr, refused
    _passkeys(world)
    _mail_limits(world)
    _representatives(world)
    http.post(reverse("accounts:session_end_others"))
    http.post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "nieuw-lang-wachtwoord-77",
            "new_password2": "nieuw-lang-wachtwoord-77",
        },
    )
    http.post(reverse("accounts:logout"))
    device = device_for(cast.anna)
    code = current_code(device)
    for _ in range(2):  # the second use of one code is a reuse
        again = HttpClient()
        password_login(again, "anna")
        again.post(reverse("accounts:otp_verify"), {"token": code})
    wrong = HttpClient()
    password_login(wrong, "anna")
    wrong.post(reverse("accounts:otp_verify"), {"token": "000000"})
    url = reverse("dossiers:client_list")
    idle = verified_login(HttpClient(), cast.anna)
    idle.get(url)
    clock["now"] += 15 * 60 + 1
    idle.get(url)  # session.expired.idle
    busy = verified_login(HttpClient(), cast.anna)
    busy.get(url)
    for _ in range(12 * 6 + 1):  # active every ten minutes, past twelve hours
        clock["now"] += 600
        busy.get(url)  # ends in session.expired.absolute
    _password_reset()


def _passkeys(world: World) -> None:
    """A passkey user makes backup codes and removes a lost phone (otp.backup_codes,
    otp.removed)."""
    bram = world.cast.bram
    http = signed_in_with_passkey(bram, "bram")
    http.post(reverse("accounts:backup_codes_new"))
    lost = SoftPasskey().stored_for(bram)
    http.post(reverse("accounts:passkey_remove", args=[lost.pk]))


def _mail_limits(world: World) -> None:
    """A colleague's account (colleague.create, and its invitation), then more invitations
    and reset mails to one address than the hourly limit lets out (*.limited)."""
    anna = world.cast.anna
    for n in range(settings.ECD_MAILS_PER_HOUR + 1):
        colleague_invite(
            actor=anna,
            username=f"collega{n}",
            name="Cor Collega",
            email="cor@example.nl",
            agb_code="",
            practice_name="",
            base_url="https://ecd.example",
        )
    anna.email = "anna@example.nl"
    anna.save()
    for _ in range(settings.ECD_MAILS_PER_HOUR + 1):
        HttpClient().post(
            reverse("accounts:password_reset"), {"email": "anna@example.nl"}
        )


def _representatives(world: World) -> None:
    """A refusal lifted (representation.allow), and a client who also represents someone
    else chooses for whom the portal works (portal.choose)."""
    refused = Representation.objects.filter(refused_at__isnull=False).first()
    representation_refuse(actor=world.cast.anna, representation=refused, refused=False)
    own = register_client_with_dossier(world.cast.anna, family_name="Zwart")
    ward = register_client_with_dossier(world.cast.anna, family_name="Wit")
    zola = make_user("zola", Role.CLIENT, None, name="Zola Zwart")
    Client.objects.filter(pk=own.client_id).update(portal_user=zola)
    ward_client = Client.objects.get(pk=ward.client_id)
    representation(world.cast, ward_client, zola, kind="curator")
    verified_login(HttpClient(), zola).get(reverse("portal:choose"))


def _password_reset() -> None:
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    from accounts.models import User

    user = User.objects.get(username="carla")
    http = HttpClient()
    url = reverse(
        "accounts:password_reset_confirm",
        args=[
            urlsafe_base64_encode(force_bytes(user.pk)),
            default_token_generator.make_token(user),
        ],
    )
    form = http.get(url, follow=True)
    http.post(
        form.redirect_chain[-1][0] if form.redirect_chain else url,
        {
            "new_password1": "weer-een-nieuw-wachtwoord-5",
            "new_password2": "weer-een-nieuw-wachtwoord-5",
        },
    )


def test_every_event_type_is_written_by_its_caller_path(monkeypatch) -> None:
    clock = {"now": time.time()}
    monkeypatch.setattr(middleware, "_now", lambda: clock["now"])
    world = make_world()
    _walk(world, ("owner", "client_self", "inspector", "other_zzp"), "get")
    _walk(world, ("owner", "client_self", "inspector"), "post")
    owner = verified_login(HttpClient(), world.cast.anna)
    owner.post(reverse("dossiers:client_list"), {"name": "Dalen"})  # search
    _entries(world)
    _copies(world)
    _portal_and_practice(world)
    _lifecycle(world)
    _accounts(world, clock)
    written = set(AccessEvent.objects.values_list("event_type", flat=True))
    assert written <= set(EventType.values), written - set(EventType.values)
    assert set(EventType.values) - written == set()


def test_an_inspectors_copies_carry_the_case_reference_and_the_checks(as_user) -> None:
    world = make_world()
    cast = world.cast
    InspectorMandate.objects.filter(inspector=cast.ingrid).update(may_export=True)
    http = as_user(cast.ingrid)
    since = AccessEvent.objects.order_by("-pk").values_list("pk", flat=True).first()
    dossier = cast.dossier.pk
    http.get(reverse("dossiers:export_json", args=[dossier]))
    http.get(reverse("dossiers:export_fhir", args=[dossier]))
    http.get(reverse("dossiers:export_pdf", args=[dossier]))  # reads; may not POST
    http.get(
        reverse("dossiers:export_download", args=[dossier, world.samples["job_id"]])
    )
    http.get(reverse("dossiers:client_list"))
    http.get(reverse("dossiers:dossier_detail", args=[world.samples["dossier_id"]]))
    events = list(AccessEvent.objects.filter(pk__gt=since, actor_id=cast.ingrid.pk))
    kinds = {e.event_type for e in events}
    assert {
        EventType.EXPORT_JSON,
        EventType.EXPORT_FHIR,
        EventType.EXPORT_VIEW,
        EventType.EXPORT_PDF,
        EventType.CLIENT_LIST,
    } <= kinds
    assert all(e.case_reference == "IGJ-2026-001" for e in events)
    about_the_record: list[Any] = [e for e in events if e.client_id]
    assert about_the_record and all(
        e.checks.get("autorisatie") == "ok" and e.basis == "inspector" and e.basis_ref
        for e in about_the_record
    )


def test_a_destruction_carries_the_basis_and_checks_of_the_decision() -> None:
    world = make_world()
    cast = world.cast
    other = client_named("Bezemer")
    access = owner_access(other.dossier)
    lifecycle.dossier_destroy(
        access=access,
        actor=cast.anna,
        ground=lifecycle.DestructionGround.CLIENT_REQUEST,
        request_ref=world.samples["request_id"],
    )
    event = AccessEvent.objects.get(event_type=EventType.DOSSIER_DESTROY)
    assert (event.basis, event.basis_ref) == (access.basis, access.basis_ref)
    assert event.checks == access.checks()
    assert str(event.client_id) == str(access.client.pk)
