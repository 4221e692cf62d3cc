"""The dossier page costs the same number of queries whatever the number of zorgmomenten."""

import datetime

import pytest
from django.core.cache import caches
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
    """Queries of a page rendered from the database (the dossier body's cache emptied)."""
    caches["dossier_pages"].clear()
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


def _more_clients(cast: Cast, count: int) -> None:
    from tests.personas import register_client_with_dossier

    for i in range(count):
        register_client_with_dossier(cast.anna, family_name=f"Extra {i}")


def _more_events(cast: Cast, count: int) -> None:
    from audit.models import Action, EventType
    from audit.services import record

    for _ in range(count):
        record(
            actor=cast.anna,
            action=Action.READ,
            event_type=EventType.DOSSIER_VIEW,
            practice_id=cast.dossier.practice_id,
            client_id=cast.dossier.client_id,
            dossier_id=cast.dossier.pk,
            object_type="dossier",
            object_id=cast.dossier.pk,
        )


def _more_requests(cast: Cast, count: int) -> None:
    from portal.services import request_file
    from tests.personas import owner_access

    for _ in range(count):
        request_file(
            access=owner_access(cast.dossier),
            actor=cast.bram,
            kind="bezwaar",
            reason="r",
        )


PAGES = {
    "client list": ("anna", lambda c: reverse("dossiers:client_list"), _more_clients),
    "retention list": (
        "anna",
        lambda c: reverse("dossiers:retention_list"),
        _more_clients,
    ),
    "request queue": (
        "anna",
        lambda c: reverse("portal:request_queue"),
        _more_requests,
    ),
    "dossier log": (
        "anna",
        lambda c: reverse("audit:dossier_log", args=[c.dossier.pk]),
        _more_events,
    ),
    "portal home": ("bram", lambda c: reverse("portal:home"), add_moments),
    "who saw what": ("bram", lambda c: reverse("portal:who_saw"), _more_events),
    "client requests": ("bram", lambda c: reverse("portal:requests"), _more_requests),
}


@pytest.mark.parametrize("page", list(PAGES), ids=list(PAGES))
def test_every_list_page_costs_the_same_queries_with_more_rows(
    cast: Cast, as_user, page: str
) -> None:
    who, url_for, grow = PAGES[page]
    http = as_user(getattr(cast, who))
    url = url_for(cast)
    grow(cast, 2)
    http.get(url)  # the first request after login also records the session's start
    few = queries_for_page(http, url)
    grow(cast, 30)
    many = queries_for_page(http, url)
    assert few == many, f"{page}: {few} queries with few rows, {many} with many"
