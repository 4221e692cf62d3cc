"""The zorgverlener's view of a dossier's access log, and its CSV export."""

import csv
import datetime
import io

from django.urls import reverse

from audit.models import AccessEvent
from dossiers.log_views import csv_cell
from tests.personas import Cast, register_client_with_dossier


def test_it_lists_only_this_clients_events_and_logs_its_own_reading(
    cast: Cast, as_user
) -> None:
    other = register_client_with_dossier(cast.anna, family_name="Ander")
    http = as_user(cast.anna)
    http.get(reverse("dossiers:dossier_detail", args=[other.pk]))
    response = http.get(reverse("audit:dossier_log", args=[cast.dossier.pk]))
    events = list(response.context["page"])
    assert events and all(e.client_id == cast.dossier.client_id for e in events)
    assert (
        events[0].event_type == "accesslog.view"
    )  # reading the log is itself the newest line


def test_it_filters_by_period(cast: Cast, as_user) -> None:
    http = as_user(cast.anna)
    url = reverse("audit:dossier_log", args=[cast.dossier.pk])
    tomorrow = (datetime.date.today() + datetime.timedelta(days=1)).isoformat()
    assert list(http.get(url, {"since": tomorrow}).context["page"]) == []
    assert list(http.get(url, {"until": "2000-01-01"}).context["page"]) == []
    response = http.get(url, {"since": "2026-12-01", "until": "2026-01-01"})
    assert response.context["form"].errors["until"] == [
        "De einddatum ligt vóór de begindatum."
    ]


def test_csv_holds_the_events_and_escapes_formulas(cast: Cast, as_user) -> None:
    cast.carla.first_name, cast.carla.last_name = "=HYPERLINK(1)", ""
    cast.carla.save()
    as_user(cast.carla).get(
        reverse("dossiers:dossier_detail", args=[cast.dossier.pk])
    )  # a denied attempt
    response = as_user(cast.anna).get(
        reverse("audit:dossier_log_csv", args=[cast.dossier.pk])
    )
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][0] == "tijdstip (Nederlandse tijd)"
    assert rows[0][
        4
    ] == "omschrijving" and "probeerde het dossier te openen; dat werd geweigerd" in {
        row[4] for row in rows[1:]
    }
    names = [row[1] for row in rows[1:]]
    assert "'=HYPERLINK(1)" in names and "=HYPERLINK(1)" not in names
    assert AccessEvent.objects.filter(event_type="accesslog.export").count() == 1


def test_csv_cell_escaping() -> None:
    assert [csv_cell(v) for v in ("=1+1", "+31", "-x", "@SUM", "Anna", None)] == [
        "'=1+1",
        "'+31",
        "'-x",
        "'@SUM",
        "Anna",
        "",
    ]


def test_a_colleague_with_a_grant_does_not_see_the_log(cast: Cast, as_user) -> None:
    assert (
        as_user(cast.carla)
        .get(reverse("audit:dossier_log", args=[cast.dossier.pk]))
        .status_code
        == 404
    )
