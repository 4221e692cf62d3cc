"""A goal carries a planned evaluation date; once it passes, the completeness panel says so."""

import datetime

from django.urls import reverse

from dossiers.models import Goal
from tests.personas import Cast


def add_goal(http, cast: Cast, **extra: str):
    data = {"kind": "doel", "description": "Zelf douchen", "status": "lopend"}
    data.update(extra)
    return http.post(
        reverse("dossiers:entry_create", args=[cast.dossier.pk, "doelen"]), data
    )


def panel(http, cast: Cast) -> list[str]:
    page = http.get(reverse("dossiers:dossier_detail", args=[cast.dossier.pk]))
    return page.context["missing"]


def test_it_names_an_open_goal_whose_evaluation_date_passed(
    cast: Cast, as_user
) -> None:
    http = as_user(cast.anna)
    past = datetime.date.today() - datetime.timedelta(days=3)
    assert add_goal(http, cast, evaluate_on=past.isoformat()).status_code == 302
    assert Goal.objects.get(dossier=cast.dossier).evaluate_on == past
    lines = [line for line in panel(http, cast) if "Evaluatie van doel" in line]
    assert len(lines) == 1
    assert "“Zelf douchen”" in lines[0]
    assert f"gepland op {past.day} " in lines[0] and str(past.year) in lines[0]


def test_it_is_quiet_before_the_date_and_after_the_goal_closed(
    cast: Cast, as_user
) -> None:
    http = as_user(cast.anna)
    soon = datetime.date.today() + datetime.timedelta(days=10)
    add_goal(http, cast, evaluate_on=soon.isoformat())
    assert not [line for line in panel(http, cast) if "Evaluatie van doel" in line]
    goal = Goal.objects.get(dossier=cast.dossier)
    goal.evaluate_on = datetime.date.today() - datetime.timedelta(days=1)
    goal.status = "behaald"
    goal.save(update_fields=["evaluate_on", "status"])
    assert not goal.evaluation_overdue(datetime.date.today())
    goal.status = "lopend"
    assert goal.evaluation_overdue(datetime.date.today())
