"""The database refuses UPDATE, DELETE and TRUNCATE on the access log and change history."""

import pytest
from auditlog.models import LogEntry
from django.db import DatabaseError, connection, transaction

from audit.models import AccessEvent
from tests.personas import Cast


def refused(callable_) -> bool:
    try:
        with transaction.atomic():
            callable_()
    except DatabaseError:
        return True
    return False


def raw(sql: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql)


def test_orm_update_and_delete_are_refused(cast: Cast) -> None:
    event = AccessEvent.objects.first()
    assert event is not None
    assert refused(lambda: AccessEvent.objects.filter(pk=event.pk).update(detail="x"))
    assert refused(lambda: AccessEvent.objects.filter(pk=event.pk).delete())
    event.detail = "changed"
    assert refused(event.save)
    assert AccessEvent.objects.get(pk=event.pk).detail == ""


def test_raw_sql_update_and_delete_are_refused(cast: Cast) -> None:
    assert refused(lambda: raw("UPDATE audit_accessevent SET detail = 'x'"))
    assert refused(lambda: raw("DELETE FROM audit_accessevent"))
    assert AccessEvent.objects.exists()


@pytest.mark.postgres
def test_truncate_is_refused(cast: Cast) -> None:
    assert refused(lambda: raw("TRUNCATE audit_accessevent"))
    assert refused(lambda: raw("TRUNCATE auditlog_logentry"))


def test_the_change_history_is_append_only_too(cast: Cast) -> None:
    assert LogEntry.objects.exists()
    assert refused(lambda: LogEntry.objects.all().update(object_repr="x"))
    assert refused(lambda: LogEntry.objects.all().delete())
