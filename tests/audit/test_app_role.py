"""In production the application's role has only SELECT and INSERT on the access log."""

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from audit.models import AccessEvent
from audit.services import record
from tests.personas import Cast

ROLE = "ecd_app_test"


@pytest.fixture
def app_role() -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{ROLE}') "
            f"THEN CREATE ROLE {ROLE} NOLOGIN; END IF; END $$"
        )
    call_command("grant_app_role", ROLE)
    return ROLE


def as_role(sql: str) -> str:
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL ROLE {ROLE}")
            cursor.execute(sql)
    except DatabaseError as exc:
        return str(exc)
    return "ok"


@pytest.mark.postgres
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_accessevent SET detail = 'x'",
        "DELETE FROM audit_accessevent",
        "TRUNCATE audit_accessevent",
        "DELETE FROM auditlog_logentry",
    ],
)
def test_the_app_role_cannot_change_the_log(
    cast: Cast, app_role: str, sql: str
) -> None:
    assert "permission denied" in as_role(sql)


@pytest.mark.postgres
def test_the_app_role_can_append_and_read(cast: Cast, app_role: str) -> None:
    before = AccessEvent.objects.count()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL ROLE {ROLE}")
        record(
            actor=cast.anna,
            action="R",
            event_type="dossier.view",
            practice_id=cast.anna.practice_id,
        )
        assert AccessEvent.objects.count() == before + 1


@pytest.mark.postgres
def test_the_app_role_does_not_own_the_log(cast: Cast, app_role: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tableowner FROM pg_tables WHERE tablename = 'audit_accessevent'"
        )
        assert cursor.fetchone()[0] != ROLE


@pytest.mark.postgres
def test_the_key_store_gets_its_grants_without_the_log_tables(cast: Cast) -> None:
    """grant_app_role --database keys succeeds (the key store has no access log) and the
    app role can then read the data keys: the migrate job of docker-compose.yml exits 0."""
    from django.db import connections

    role = "ecd_app_test_keys"  # made on the key store's connection, in its transaction
    keys = connections["keys"]
    with keys.cursor() as cursor:
        cursor.execute(
            f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{role}') "
            f"THEN CREATE ROLE {role} NOLOGIN; END IF; END $$"
        )
    call_command("grant_app_role", role, database="keys")
    with transaction.atomic(using="keys"), keys.cursor() as cursor:
        cursor.execute(f"SET LOCAL ROLE {role}")
        cursor.execute("SELECT count(*) FROM keystore_datakey")
        assert cursor.fetchone()[0] >= 1


@pytest.mark.postgres
def test_a_who_saw_what_line_changed_by_the_app_role_is_found(
    cast: Cast, app_role: str, capsys
) -> None:
    """What the app role may do to a who-saw-what line (swap the reader for someone else,
    same count) does not go unnoticed: verify_audit recomputes every line from the events."""
    record(
        actor=cast.anna,
        action="R",
        event_type="dossier.view",
        practice_id=cast.anna.practice_id,
        client_id=cast.dossier.client_id,
        dossier_id=cast.dossier.pk,
        object_type="dossier",
        basis="own",
    )
    call_command("verify_audit", "--no-checkpoint")
    assert "OK:" in capsys.readouterr().out
    verdict = as_role(
        f"UPDATE audit_dayline SET actor_id = {cast.bram.pk}, actor_name = 'Bram Dalen' "
        f"WHERE client_id = '{cast.dossier.client_id}' AND actor_id = {cast.anna.pk}"
    )
    if verdict != "ok":  # the role may not change lines at all: fine as well
        assert "permission denied" in verdict
        return
    with pytest.raises(SystemExit):
        call_command("verify_audit", "--no-checkpoint")
    assert "wijkt af" in capsys.readouterr().err
