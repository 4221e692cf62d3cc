"""Each read, write and denial of dossier data produces exactly the expected access event."""

from django.db import connection
from django.urls import reverse

from audit.models import AccessEvent
from tests.personas import Cast
from tests.routes import all_routes
from tests.world import make_world


def new_events(since: int):
    return AccessEvent.objects.filter(pk__gt=since).order_by("pk")


def last_id() -> int:
    return AccessEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def test_viewing_a_dossier_writes_one_read_event(cast: Cast, as_user) -> None:
    http = as_user(cast.anna)
    since = last_id()
    http.get(reverse("dossiers:dossier_detail", args=[cast.dossier.pk]))
    (event,) = new_events(since)
    assert (event.action, event.event_type, event.outcome) == (
        "R",
        "dossier.view",
        "success",
    )
    assert (
        event.actor_id == cast.anna.pk
        and event.actor_role == "zorgverlener"
        and event.actor_agb == "12345678"
    )
    assert event.responsible_id == cast.anna.pk
    assert (
        event.client_id == cast.dossier.client_id
        and event.dossier_id == cast.dossier.pk
    )
    assert event.basis == "own" and event.checks["autorisatie"] == "ok"
    assert event.purpose == "zorgverlening"
    assert event.source_ip == "127.0.0.1" and event.request_id
    assert event.occurred_at.tzinfo is not None


def test_adding_a_care_moment_writes_one_create_event_with_field_names_only(
    cast: Cast, as_user
) -> None:
    http = as_user(cast.anna)
    since = last_id()
    http.post(
        reverse("dossiers:entry_create", args=[cast.dossier.pk, "zorgmomenten"]),
        {
            "date": "2026-01-08",
            "start_time": "09:00",
            "end_time": "10:00",
            "activities": "geheim-verband",
        },
    )
    (event,) = new_events(since)
    assert (event.action, event.event_type, event.object_type) == (
        "C",
        "caremoment.create",
        "caremoment",
    )
    assert "activities" in event.fields
    assert "geheim-verband" not in repr(event.__dict__)


def test_a_denied_attempt_writes_one_denied_event(cast: Cast, as_user) -> None:
    http = as_user(cast.carla)
    since = last_id()
    http.get(reverse("dossiers:dossier_detail", args=[cast.dossier.pk]))
    (event,) = new_events(since)
    assert (event.outcome, event.actor_id, event.client_id) == (
        "denied",
        cast.carla.pk,
        cast.dossier.client_id,
    )
    assert event.checks == {"autorisatie": "geweigerd"}


def test_login_and_failed_login_are_logged(cast: Cast, client) -> None:
    from tests.personas import PASSWORD

    since = last_id()
    client.post(
        reverse("accounts:login"),
        {"username": "anna", "password": "fout-wachtwoord-123"},
    )
    client.post(reverse("accounts:login"), {"username": "anna", "password": PASSWORD})
    types = [(e.event_type, e.outcome) for e in new_events(since)]
    assert types == [("login.failed", "denied"), ("login", "success")]


def test_no_view_that_shows_dossier_data_forgets_to_log(as_user) -> None:
    world = make_world()
    http = as_user(world.cast.anna)
    routes = [r for r in all_routes() if {"dossier_id", "client_id"} & set(r.kwargs)]
    assert len(routes) >= 8
    for route in routes:
        since = last_id()
        response = http.get(route.url(world.samples))
        if response.status_code in (302, 405):  # a redirect, or a POST-only action
            continue
        assert response.status_code == 200, route.name
        events = list(new_events(since))
        assert len(events) == 1, route.name
        assert events[0].client_id == world.cast.dossier.client_id


def test_no_plaintext_in_audit_or_change_history_tables(cast: Cast, as_user) -> None:
    http = as_user(cast.anna)
    http.post(
        reverse("dossiers:entry_create", args=[cast.dossier.pk, "ervaringen"]),
        {"recorded_on": "2026-01-09", "text": "canary-ervaring-31"},
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM audit_accessevent")
        rows = repr(cursor.fetchall())
        cursor.execute("SELECT * FROM auditlog_logentry")
        rows += repr(cursor.fetchall())
    for canary in (
        "canary-ervaring-31",
        "canary-diabetes-7f3a",
        "bram@example.nl",
        "Dorpsstraat",
    ):
        assert canary not in rows


def make_audit_inserts_fail() -> None:
    """A real database fault: the access-log insert is refused by a trigger."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "CREATE FUNCTION test_fail() RETURNS trigger LANGUAGE plpgsql AS "
                "$$ BEGIN RAISE EXCEPTION 'logboek onbereikbaar'; END $$"
            )
            cursor.execute(
                "CREATE TRIGGER test_fail BEFORE INSERT ON audit_accessevent FOR EACH ROW EXECUTE FUNCTION test_fail()"
            )
        else:
            cursor.execute(
                "CREATE TRIGGER test_fail BEFORE INSERT ON audit_accessevent "
                "BEGIN SELECT RAISE(ABORT, 'logboek onbereikbaar'); END"
            )


def test_a_read_sends_no_dossier_data_when_logging_fails(cast: Cast, as_user) -> None:
    http = as_user(cast.anna)
    make_audit_inserts_fail()
    http.raise_request_exception = False
    response = http.get(reverse("dossiers:dossier_detail", args=[cast.dossier.pk]))
    assert response.status_code == 500
    assert b"Dalen" not in response.content and b"Woont alleen" not in response.content


def test_a_write_is_rolled_back_when_logging_fails(cast: Cast, as_user) -> None:
    from dossiers.models import Experience

    http = as_user(cast.anna)
    make_audit_inserts_fail()
    http.raise_request_exception = False
    response = http.post(
        reverse("dossiers:entry_create", args=[cast.dossier.pk, "ervaringen"]),
        {"recorded_on": "2026-01-09", "text": "moet verdwijnen"},
    )
    assert response.status_code == 500
    assert not Experience.objects.exists()


def test_every_list_that_names_clients_writes_one_event_without_names(
    cast: Cast, as_user
) -> None:
    http = as_user(cast.anna)
    for name in (
        "dossiers:client_list",
        "dossiers:retention_list",
        "portal:request_queue",
    ):
        since = last_id()
        assert http.get(reverse(name)).status_code == 200, name
        events = list(new_events(since))
        assert len(events) == 1, name
        assert events[0].action == "R" and "resultaten" in events[0].detail, name
        assert "Dalen" not in str(events[0].__dict__), name
