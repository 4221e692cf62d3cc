"""The readiness overview shows how the practice keeps its dossiers; each view is logged,
the inspector sees only the dossiers of the mandate, and the PDF reads back the same."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client as HttpClient
from django.urls import reverse
from pypdf import PdfReader

from audit.models import AccessEvent
from dossiers.models import Dossier
from ecd.routines import ReportsRoutine
from portal.models import RightsRequest
from practice.models import RoutineRun
from tests.personas import Cast, verified_login
from tests.world import make_world


def test_it_names_what_each_dossier_lacks_and_what_is_due(cast: Cast, as_user) -> None:
    client = cast.dossier.client
    RightsRequest.objects.create(
        practice_id=client.practice_id,
        client=client,
        key_ref=client.key_ref,
        kind="correctie",
        reason="klopt niet",
        filed_by=cast.bram,
        deadline=datetime.date.today() - datetime.timedelta(days=1),
    )
    Dossier.objects.filter(pk=cast.dossier.pk).update(
        last_changed_at=datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)
    )
    page = as_user(cast.anna).get(reverse("practice:readiness"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Bram van Dalen" in html
    assert "Doelen en voorkeuren van de cliënt." in html
    assert "termijn verstreken" in html
    assert "Bewaartermijn verstreken" in html
    event = AccessEvent.objects.get(event_type="practice.readiness")
    assert (event.actor_id, event.basis, event.practice_id) == (
        cast.anna.pk,
        "own",
        cast.anna.practice_id,
    )


def test_another_practice_sees_none_of_it(cast: Cast, as_user) -> None:
    html = as_user(cast.carla).get(reverse("practice:readiness")).content.decode()
    assert "Bram" not in html
    assert "Geen dossiers." in html


def test_the_inspector_sees_only_the_mandate_with_the_case_reference() -> None:
    world = make_world()
    http = verified_login(HttpClient(), world.actors["inspector_out_of_scope"])
    html = http.get(reverse("practice:readiness")).content.decode()
    assert "Bezemer" in html and "Bram" not in html  # henk's mandate: only Cees
    http = verified_login(HttpClient(), world.cast.ingrid)
    html = http.get(reverse("practice:readiness")).content.decode()
    assert "Bram van Dalen" in html and "Bezemer" not in html
    assert "cliëntaccount" in html  # client accounts are not named to an inspector
    event = AccessEvent.objects.filter(
        actor_id=world.cast.ingrid.pk, event_type="practice.readiness"
    ).get()
    assert (event.basis, event.case_reference) == ("inspector", "IGJ-2026-001")


def test_the_pdf_is_dated_and_says_the_same(cast: Cast, as_user) -> None:
    response = as_user(cast.anna).get(reverse("practice:readiness_pdf"))
    assert response["Content-Type"] == "application/pdf"
    today = datetime.date.today().isoformat()
    assert (
        f"verantwoording-dossiervoering-{today}.pdf" in response["Content-Disposition"]
    )
    text = " ".join(
        page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages
    )
    assert "Verantwoording dossiervoering" in text
    assert "Bram van Dalen" in text
    assert "Diagnose" not in text or "Doelen en voorkeuren" in text
    assert AccessEvent.objects.filter(
        event_type="practice.readiness.pdf", actor_id=cast.anna.pk, action="E"
    ).exists()


def test_routine_results_and_second_factors_show(cast: Cast, as_user) -> None:
    call_command("verify_audit")
    call_command("audit_checkpoint")
    assert set(RoutineRun.objects.values_list("routine", "ok")) == {
        ("verify_audit", True),
        ("audit_checkpoint", True),
    }
    html = as_user(cast.anna).get(reverse("practice:readiness")).content.decode()
    assert html.count("in orde") == 2
    assert html.count("nooit uitgevoerd") == 3  # no backups, no deadline check here
    assert "niet ingesteld" in html  # bram has no second factor yet


def test_a_failed_routine_is_recorded_as_failed() -> None:
    class Failing(ReportsRoutine):
        routines = ("backup",)

        def handle(self, *args, **options) -> None:
            raise CommandError("schijf vol")

    with pytest.raises(CommandError):
        Failing().execute(
            verbosity=0, no_color=True, force_color=False, skip_checks=True
        )
    run = RoutineRun.objects.get()
    assert (run.routine, run.ok, run.detail) == ("backup", False, "schijf vol")
