"""Journey 3: an IGJ inspector logs in inside the mandate's window, reads a dossier in scope,
fails to change anything, fails to reach a dossier out of scope, and after expiry cannot log
in at all."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Practice, Role
from audit.models import AccessEvent
from consent.models import InspectorMandate
from dossiers.models import Dossier
from tests.journeys.conftest import with_authenticator
from tests.journeys.helpers import log_in
from tests.personas import PASSWORD, make_user, register_client_with_dossier

pytestmark = pytest.mark.browser


def test_the_inspector_journey(open_browser, live_server) -> None:
    practice = Practice.objects.create(name="Wijkzorg De Wit")
    anna = make_user(
        "anna", Role.CAREGIVER, practice, name="Anna de Wit", agb_code="12345678"
    )
    in_scope = register_client_with_dossier(anna, family_name="Binnen")
    out_of_scope = register_client_with_dossier(anna, family_name="Buiten")
    ingrid = make_user("ingrid", Role.INSPECTOR, None, name="Ingrid Jansen")
    with_authenticator(ingrid)
    now = timezone.now()
    mandate = InspectorMandate.objects.create(
        practice=practice,
        inspector=ingrid,
        case_reference="IGJ-2026-0412",
        valid_from=now - datetime.timedelta(hours=1),
        valid_until=now + datetime.timedelta(days=7),
        created_by=anna,
    )
    mandate.clients.set([in_scope.client])

    browser = open_browser("inspecteur")
    page = browser.page
    log_in(browser, ingrid, PASSWORD)
    browser.visit_check("start")
    assert "Binnen" in page.content() and "Buiten" not in page.content()

    detail = live_server.url + reverse("dossiers:dossier_detail", args=[in_scope.pk])
    page.goto(detail)
    browser.visit_check("dossier-in-scope")
    assert "IGJ-2026-0412" in page.content()
    assert reverse("dossiers:dossier_edit", args=[in_scope.pk]) not in page.content()

    # Changing anything is refused centrally, whatever the URL.
    csrf = next(c["value"] for c in page.context.cookies() if "csrftoken" in c["name"])
    for url in (
        reverse("dossiers:dossier_edit", args=[in_scope.pk]),
        reverse("dossiers:entry_create", args=[in_scope.pk, "zorgmomenten"]),
        reverse("portal:statement_create"),
    ):
        response = page.request.post(
            live_server.url + url,
            form={"diagnosis": "gewijzigd door inspectie"},
            headers={"X-CSRFToken": csrf},
        )
        assert response.status == 403, url
    assert Dossier.objects.get(pk=in_scope.pk).diagnosis != "gewijzigd door inspectie"

    outside = page.goto(
        live_server.url + reverse("dossiers:dossier_detail", args=[out_of_scope.pk])
    )
    assert outside.status == 404
    assert "Buiten" not in page.content()
    assert AccessEvent.objects.filter(
        actor_id=ingrid.pk, client_id=out_of_scope.client_id, outcome="denied"
    ).exists()

    # The mandate ends: the open session ends with it, and logging in again fails.
    InspectorMandate.objects.filter(pk=mandate.pk).update(
        valid_until=timezone.now() - datetime.timedelta(minutes=1)
    )
    page.goto(detail)
    assert "/inloggen/" in page.url
    page.fill("#id_username", "ingrid")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state("load")
    assert "/inloggen/" in page.url and "code" not in page.url
    assert "klopt niet" in page.content()  # the same words as any failed login
    browser.visit_check("na-afloop")
    assert "Binnen" not in page.content()
    assert browser.third_party_requests() == []
