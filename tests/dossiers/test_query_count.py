"""The dossier page costs the same number of queries whatever the number of zorgmomenten."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dossiers.models import CareMoment, Goal
from tests.personas import Cast


def add_moments(cast: Cast, count: int) -> None:
    goal = Goal.objects.create(
        dossier=cast.dossier,
        practice_id=cast.dossier.practice_id,
        key_ref=cast.dossier.key_ref,
        created_by=cast.anna,
        description="doel",
    )
    for i in range(count):
        moment = CareMoment.objects.create(
            dossier=cast.dossier,
            practice_id=cast.dossier.practice_id,
            key_ref=cast.dossier.key_ref,
            created_by=cast.anna,
            date=datetime.date(2026, 1, 1) + datetime.timedelta(days=i),
            start_time=datetime.time(9),
            end_time=datetime.time(10),
            activities=f"zorg {i}",
            results="ok",
        )
        moment.goals.add(goal)


def queries_for_page(http, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = http.get(url)
    assert response.status_code == 200
    return len(captured)


def test_queries_do_not_grow_with_care_moments(cast: Cast, as_user) -> None:
    http = as_user(cast.anna)
    url = reverse("dossiers:dossier_detail", args=[cast.dossier.pk])
    add_moments(cast, 3)
    http.get(url)  # the first request after login also records the session's start
    few = queries_for_page(http, url)
    add_moments(cast, 60)
    many = queries_for_page(http, url)
    assert few == many
    assert many <= 20


def test_the_timeline_is_newest_first_and_paginated(cast: Cast, as_user) -> None:
    add_moments(cast, 30)
    http = as_user(cast.anna)
    url = reverse("dossiers:dossier_detail", args=[cast.dossier.pk])
    page = http.get(url).context["page"]
    dates = [m.date for m in page]
    assert len(dates) == 25
    assert dates == sorted(dates, reverse=True)
    assert http.get(url + "?pagina=2").context["page"].object_list[0].date < dates[-1]
