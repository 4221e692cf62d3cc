"""The IGJ inspector: read-only, in scope, inside a window of at most 30 days."""

import datetime

from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from audit.models import AccessEvent
from consent.models import InspectorMandate
from dossiers.models import Dossier
from tests.personas import PASSWORD, Cast, client_named, verified_login
from tests.world import make_world


def test_the_inspector_reads_in_scope_and_each_read_carries_the_case_reference() -> (
    None
):
    world = make_world()
    http = HttpClient()
    verified_login(http, world.cast.ingrid)
    assert (
        http.get(
            reverse("dossiers:dossier_detail", args=[world.cast.dossier.pk])
        ).status_code
        == 200
    )
    event = AccessEvent.objects.filter(
        actor_id=world.cast.ingrid.pk, event_type="dossier.view"
    ).get()
    assert (event.basis, event.case_reference, event.actor_role) == (
        "inspector",
        "IGJ-2026-001",
        "inspecteur",
    )
    assert event.purpose == "toezicht IGJ"
    other = Dossier.objects.exclude(pk=world.cast.dossier.pk).get(
        client=client_named("Bezemer")
    )
    assert (
        http.get(reverse("dossiers:dossier_detail", args=[other.pk])).status_code == 404
    )


def test_an_inspector_post_anywhere_is_refused_and_changes_nothing() -> None:
    world = make_world()
    http = HttpClient(enforce_csrf_checks=False)
    verified_login(http, world.cast.ingrid)
    before = Dossier.objects.get(pk=world.cast.dossier.pk).version
    url = reverse("dossiers:dossier_edit", args=[world.cast.dossier.pk])
    response = http.post(
        url, {"diagnosis": "gewijzigd door inspecteur", "version": before}
    )
    assert response.status_code == 403
    assert Dossier.objects.get(pk=world.cast.dossier.pk).version == before
    assert http.post("/iets/dat/niet/bestaat/").status_code == 403
    assert (
        AccessEvent.objects.filter(
            actor_id=world.cast.ingrid.pk, outcome="denied"
        ).count()
        == 2
    )


def test_an_expired_inspector_cannot_log_in() -> None:
    world = make_world()
    iris = world.actors["inspector_expired"]
    assert isinstance(iris, User)
    response = HttpClient().post(
        reverse("accounts:login"), {"username": iris.username, "password": PASSWORD}
    )
    assert response.status_code == 200  # the login form again, with its message
    assert "_auth_user_id" not in HttpClient().session


def test_an_open_session_ends_when_the_mandate_ends() -> None:
    world = make_world()
    http = HttpClient()
    verified_login(http, world.cast.ingrid)
    url = reverse("dossiers:dossier_detail", args=[world.cast.dossier.pk])
    assert http.get(url).status_code == 200
    InspectorMandate.objects.filter(inspector=world.cast.ingrid).update(
        valid_until=timezone.now()
    )
    response = http.get(url)
    assert response.status_code == 302 and response["Location"].startswith(
        reverse("accounts:login")
    )


def test_a_mandate_is_at_most_thirty_days(cast: Cast, as_user) -> None:
    start = timezone.localtime().replace(second=0, microsecond=0)
    form = {
        "username": "igj1",
        "name": "Iris IGJ",
        "email": "igj@example.nl",
        "case_reference": "IGJ-9",
        "valid_from": start.strftime("%Y-%m-%dT%H:%M"),
        "all_clients": "on",
        "valid_until": (start + datetime.timedelta(days=31)).strftime("%Y-%m-%dT%H:%M"),
    }
    response = as_user(cast.anna).post(reverse("consent:mandate_list"), form)
    assert "hoogstens 30 dagen" in str(response.context["form"].errors)
    form["valid_until"] = (start + datetime.timedelta(days=30)).strftime(
        "%Y-%m-%dT%H:%M"
    )
    response = as_user(cast.anna).post(reverse("consent:mandate_list"), form)
    assert response.status_code == 302
    mandate = InspectorMandate.objects.get(case_reference="IGJ-9")
    assert mandate.inspector.role == "inspecteur" and mandate.all_clients
