"""One action, several writes: all of them commit, or none.

Saving a zorgmoment writes the row, its goal links and its access event. The fault is made
in the database itself (a trigger that refuses the insert), not by replacing our code.
"""

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from audit.models import AccessEvent
from dossiers import services
from dossiers.models import CareMoment, Dossier, Goal
from tests.personas import Cast, owner_access


def refuse_inserts_into(table: str) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "CREATE FUNCTION test_refuse() RETURNS trigger LANGUAGE plpgsql AS "
                "$$ BEGIN RAISE EXCEPTION 'storing'; END $$"
            )
            cursor.execute(
                f"CREATE TRIGGER test_refuse BEFORE INSERT ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION test_refuse()"
            )
        else:
            cursor.execute(
                f"CREATE TRIGGER test_refuse BEFORE INSERT ON {table} "
                "BEGIN SELECT RAISE(ABORT, 'storing'); END"
            )


def post_care_moment(http, cast: Cast, goal: Goal):
    http.raise_request_exception = False
    return http.post(
        reverse("dossiers:entry_create", args=[cast.dossier.pk, "zorgmomenten"]),
        {
            "date": timezone.localdate().isoformat(),
            "start_time": "09:00",
            "end_time": "09:30",
            "activities": "moet niet half blijven staan",
            "results": "",
            "goals": [str(goal.pk)],
        },
    )


@pytest.mark.parametrize(
    "failing_table",
    ["dossiers_caremoment_goals", "audit_accessevent"],
    ids=["after-the-first-write", "after-the-second-write"],
)
def test_a_failure_midway_leaves_nothing_half_written(
    cast: Cast, as_user, failing_table: str
) -> None:
    goal = services.entry_add(
        access=owner_access(cast.dossier),
        actor=cast.anna,
        model=Goal,
        data={"description": "Doel"},
    )
    http = as_user(cast.anna)
    touched = Dossier.objects.get(pk=cast.dossier.pk).last_changed_at
    events = AccessEvent.objects.count()
    refuse_inserts_into(failing_table)

    response = post_care_moment(http, cast, goal)

    assert response.status_code == 500
    assert "moet niet half" not in response.content.decode()
    assert not CareMoment.objects.exists()
    assert not CareMoment.goals.through.objects.exists()
    assert AccessEvent.objects.count() == events
    assert Dossier.objects.get(pk=cast.dossier.pk).last_changed_at == touched


def test_without_a_fault_all_three_writes_land_together(cast: Cast, as_user) -> None:
    goal = services.entry_add(
        access=owner_access(cast.dossier),
        actor=cast.anna,
        model=Goal,
        data={"description": "Doel"},
    )
    response = post_care_moment(as_user(cast.anna), cast, goal)
    assert response.status_code == 302
    moment = CareMoment.objects.get()
    assert list(moment.goals.all()) == [goal]
    assert AccessEvent.objects.filter(
        event_type="caremoment.create", object_id=str(moment.pk)
    ).exists()
