"""The client's portal: own dossier only, who saw what, own statements, requests, grants."""

import datetime

import pytest
from django.db import connection
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from audit.models import AccessEvent
from consent.services import grant_create
from dossiers.models import Client, OwnStatement
from portal.models import RightsRequest, add_months, deadline_for
from tests.personas import Cast, make_user, register_client_with_dossier, verified_login


def test_the_client_reads_the_whole_dossier(cast: Cast, as_user) -> None:
    response = as_user(cast.bram).get(reverse("portal:home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "canary-diabetes-7f3a" in html and "Woont alleen." in html
    assert response.context["dossier"].pk == cast.dossier.pk


def test_client_b_never_reaches_client_a(cast: Cast) -> None:
    other = register_client_with_dossier(cast.anna, family_name="Bezemer")
    cees = make_user("cees", "client", None)
    Client.objects.filter(pk=other.client_id).update(portal_user=cees)
    http = verified_login(HttpClient(), cees)
    assert "Dalen" not in http.get(reverse("portal:home")).content.decode()
    assert (
        http.get(reverse("dossiers:dossier_detail", args=[cast.dossier.pk])).status_code
        == 404
    )


def test_a_clients_denied_attempt_is_shown_without_the_name(cast: Cast) -> None:
    """When another client tries to open Bram's dossier, Bram's who-saw-what says "een
    andere portaalgebruiker", never the name; Anna's log of the dossier keeps the name."""
    other = register_client_with_dossier(
        cast.anna, given_names="Cees", name_prefix="", family_name="Bezemer"
    )
    cees = make_user("cees", "client", None)  # the name is on the record only
    Client.objects.filter(pk=other.client_id).update(portal_user=cees)
    verified_login(HttpClient(), cees).get(
        reverse("dossiers:dossier_detail", args=[cast.dossier.pk])
    )
    assert AccessEvent.objects.filter(
        client_id=cast.dossier.client_id, actor_id=cees.pk
    ).exclude(outcome="success")
    page = (
        verified_login(HttpClient(), cast.bram)
        .get(reverse("portal:who_saw"))
        .content.decode()
    )
    assert "een andere portaalgebruiker probeerde uw dossier te openen" in page
    assert "Cees" not in page and "Bezemer" not in page
    log = (
        verified_login(HttpClient(), cast.anna)
        .get(reverse("audit:dossier_log", args=[cast.dossier.pk]))
        .content.decode()
    )
    assert "Cees Bezemer" in log


def test_who_saw_lists_exactly_this_clients_events_in_plain_dutch(
    cast: Cast, as_user
) -> None:
    from consent.models import InspectorMandate
    from tests.world import make_world  # noqa: F401  (the inspector below comes from the world's mandate)

    mandate = InspectorMandate.objects.create(
        practice_id=cast.anna.practice_id,
        inspector=cast.ingrid,
        case_reference="IGJ-77",
        valid_from=timezone.now() - datetime.timedelta(hours=1),
        valid_until=timezone.now() + datetime.timedelta(days=1),
        all_clients=True,
        created_by=cast.anna,
    )
    other = register_client_with_dossier(cast.anna, family_name="Ander")
    anna = verified_login(HttpClient(), cast.anna)
    anna.get(reverse("dossiers:dossier_detail", args=[cast.dossier.pk]))
    anna.get(reverse("dossiers:dossier_detail", args=[other.pk]))
    verified_login(HttpClient(), cast.ingrid).get(
        reverse("dossiers:dossier_detail", args=[cast.dossier.pk])
    )
    bram = verified_login(HttpClient(), cast.bram)
    bram.get(reverse("portal:home"))
    response = bram.get(reverse("portal:who_saw"))
    lines = response.context["lines"]
    expected = AccessEvent.objects.filter(client_id=cast.dossier.client_id).count()
    assert sum(line.count for line in lines) == expected
    sentences = " ".join(line.sentence for line in lines)
    assert "Anna de Wit (zorgverlener) bekeek uw dossier op" in sentences
    assert (
        "Ingrid Jansen (IGJ-inspecteur) bekeek uw dossier" in sentences
        and "zaak IGJ-77" in sentences
    )
    assert "U (cliënt) bekeek uw dossier" in sentences
    assert "Bram" not in sentences  # a client's name is never logged (#26)
    assert (
        "U (cliënt) bekeek het logboek van uw dossier" in sentences
    )  # opening the page is logged
    assert "Ander" not in sentences
    assert mandate.pk
    # Under each sentence: organisation, role, basis, the emergency procedure and the
    # time zone the times are in.
    page = response.content.decode()
    assert (
        f"{cast.anna.practice.name} · zorgverlener · als uw zorgverlener · "
        "geen noodprocedure · Nederlandse tijd</p>"
    ) in page


def test_similar_lines_of_one_day_fold(cast: Cast, as_user) -> None:
    anna = verified_login(HttpClient(), cast.anna)
    for _ in range(3):
        anna.get(reverse("dossiers:dossier_detail", args=[cast.dossier.pk]))
    lines = as_user(cast.bram).get(reverse("portal:who_saw")).context["lines"]
    views = [
        line
        for line in lines
        if line.who == "Anna de Wit" and line.did == "bekeek uw dossier"
    ]
    assert len(views) == 1 and views[0].count == 3 and "(3 keer)" in views[0].sentence


def test_who_saw_filters_by_period(cast: Cast, as_user) -> None:
    http = as_user(cast.bram)
    assert (
        http.get(reverse("portal:who_saw"), {"until": "2000-01-01"}).context["lines"]
        == []
    )


def test_an_own_statement_is_added_and_cannot_be_changed_or_deleted(
    cast: Cast, as_user
) -> None:
    as_user(cast.bram).post(
        reverse("portal:statement_create"),
        {"text": "Ik ben het niet eens met de diagnose."},
    )
    statement = OwnStatement.objects.get()
    assert (
        statement.text == "Ik ben het niet eens met de diagnose."
        and statement.created_by == cast.bram
    )
    anna = verified_login(HttpClient(), cast.anna)
    assert (
        "niet eens met de diagnose"
        in anna.get(
            reverse("dossiers:dossier_detail", args=[cast.dossier.pk])
        ).content.decode()
    )
    with pytest.raises(NoReverseMatch):
        reverse(
            "dossiers:entry_edit", args=[cast.dossier.pk, "verklaringen", statement.pk]
        )
    assert (
        anna.get(
            f"/dossiers/{cast.dossier.pk}/verklaringen/{statement.pk}/bewerken/"
        ).status_code
        == 404
    )
    statement.text = "gewijzigd"
    with pytest.raises(PermissionError):
        statement.save()
    with pytest.raises(PermissionError):
        statement.delete()


@pytest.mark.parametrize(
    "kind", ["correctie", "vernietiging", "beperking", "bezwaar", "afschrift"]
)
def test_each_request_round_trips_to_a_decision(cast: Cast, kind: str) -> None:
    bram = verified_login(HttpClient(), cast.bram)
    bram.post(reverse("portal:requests"), {"kind": kind, "reason": "graag"})
    item = RightsRequest.objects.get()
    assert item.deadline == deadline_for(kind, timezone.localdate())
    anna = verified_login(HttpClient(), cast.anna)
    queue = anna.get(reverse("portal:request_queue")).context["requests"]
    assert list(queue) == [item]
    anna.post(
        reverse("portal:request_decide", args=[item.pk]),
        {"status": "afgewezen", "reason": "wettelijke plicht"},
    )
    page = bram.get(reverse("portal:requests")).content.decode()
    assert "afgewezen" in page and "wettelijke plicht" in page
    assert (
        AccessEvent.objects.filter(
            event_type="rightsrequest.decide", client_id=cast.dossier.client_id
        ).count()
        == 1
    )


def test_deadlines() -> None:
    filed = datetime.date(2026, 1, 31)
    assert deadline_for("correctie", filed) == datetime.date(2026, 2, 28)
    assert deadline_for("vernietiging", filed) == datetime.date(2026, 4, 30)
    assert deadline_for("bezwaar", datetime.date(2026, 3, 15)) == datetime.date(
        2026, 4, 15
    )
    assert add_months(datetime.date(2027, 12, 31), 2) == datetime.date(2028, 2, 29)


def test_the_client_revokes_a_grant_and_the_colleague_is_out_on_the_next_request(
    cast: Cast,
) -> None:
    today = timezone.localdate()
    client = Client.objects.get(pk=cast.dossier.client_id)
    grant = grant_create(
        actor=cast.anna,
        client=client,
        colleague=cast.dirk,
        data={
            "valid_from": today,
            "valid_until": today,
            "consent_given_on": today,
            "consent_method": "portaal",
        },
    )
    dirk = verified_login(HttpClient(), cast.dirk)
    url = reverse("dossiers:dossier_detail", args=[cast.dossier.pk])
    assert dirk.get(url).status_code == 200
    bram = verified_login(HttpClient(), cast.bram)
    assert "Dirk Visser" in bram.get(reverse("portal:grants")).content.decode()
    bram.post(reverse("portal:grant_revoke", args=[grant.pk]))
    assert dirk.get(url).status_code == 404


def test_an_inspector_has_no_portal() -> None:
    from tests.world import make_world

    world = make_world()
    http = verified_login(HttpClient(), world.cast.ingrid)
    assert http.get(reverse("portal:who_saw")).status_code == 403


def test_a_portal_page_finds_the_clients_own_record_once(cast: Cast, as_user) -> None:
    """One query finds the signed-in client's record with its dossier; the menu's link to
    the afschrift reuses it instead of asking again."""
    http = as_user(cast.bram)
    for name in ("portal:home", "portal:who_saw", "portal:grants"):
        http.get(reverse(name))
        with CaptureQueriesContext(connection) as queries:
            response = http.get(reverse(name))
        assert response.status_code == 200
        by_account = [
            q for q in queries.captured_queries if "portal_user_id" in q["sql"]
        ]
        assert len(by_account) == 1, (name, by_account)
        assert reverse("dossiers:export_pdf", args=[cast.dossier.pk]) in (
            response.content.decode()
        )
