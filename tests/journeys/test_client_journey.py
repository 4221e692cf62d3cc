"""Journey 2: a client opens the invitation, sets a password and a code app (the alternative to
a passkey, see test_passkey_journeys), reads the dossier, sees the zorgverlener's views in
who-saw-what, adds an own statement and files a correction request."""

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from accounts.models import Practice, Role
from dossiers.models import Client, OwnStatement
from portal.models import RightsRequest
from portal.services import invitation_create
from tests.journeys.conftest import totp_for_secret
from tests.journeys.helpers import log_out_and_go_back
from tests.personas import make_user, register_client_with_dossier, verified_login

pytestmark = pytest.mark.browser

DIAGNOSIS = "canary-diabetes-7f3a"  # what personas.dossier_data records


def test_the_client_journey(open_browser, live_server) -> None:
    practice = Practice.objects.create(name="Wijkzorg De Wit")
    anna = make_user(
        "anna", Role.CAREGIVER, practice, name="Anna de Wit", agb_code="12345678"
    )
    dossier = register_client_with_dossier(anna)
    client = Client.objects.get(pk=dossier.client_id)
    # Anna reads the dossier (that read must show up for the client).
    caregiver = verified_login(HttpClient(), anna)
    assert (
        caregiver.get(reverse("dossiers:dossier_detail", args=[dossier.pk])).status_code
        == 200
    )
    _, link = invitation_create(
        actor=anna, client=client, email="bram@example.nl", base_url=live_server.url
    )

    browser = open_browser("client")
    page = browser.page
    page.goto(link)
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert page.url == live_server.url + "/uitnodiging/"  # the token left the URL
    assert token not in page.content()
    browser.visit_check("uitnodiging")
    page.fill("#id_username", "bram.dalen")
    page.fill("#id_password1", "mijn geheime wandelroute 1950")
    page.fill("#id_password2", "mijn geheime wandelroute 1950")
    page.click("main button[type=submit]")
    page.wait_for_url("**/tweede-stap-instellen/")
    browser.visit_check("tweede-stap-kiezen")
    page.click("text=Code-app instellen")  # the alternative to a passkey
    page.wait_for_url("**/code-instellen/")
    browser.visit_check("tweede-stap-instellen")
    secret = page.inner_text("main code")
    page.fill("#id_token", "000000")  # a wrong code: a clear message, nothing set up
    page.click("main button[type=submit]")
    assert "Deze code klopt niet" in page.content()
    page.wait_for_timeout(1500)  # django-otp throttles: one second after a failure
    page.fill("#id_token", totp_for_secret(secret))
    page.click("main button[type=submit]")
    browser.visit_check("reservecodes")
    assert len(page.locator("main .codes li").all()) == 10
    page.click("text=Ik heb ze bewaard, verder")
    page.wait_for_url("**/portaal/")
    browser.visit_check("portaal")
    assert DIAGNOSIS in page.content()

    page.goto(live_server.url + reverse("portal:who_saw"))
    browser.visit_check("wie-keek")
    lines = page.inner_text("main")
    assert "Anna de Wit (zorgverlener) bekeek" in lines

    page.goto(live_server.url + reverse("portal:statement_create"))
    browser.visit_check("eigen-verklaring")
    page.fill("#id_text", "Ik gebruik geen insuline meer sinds oktober.")
    page.click("main button[type=submit]")
    page.wait_for_url("**/portaal/")
    assert "Ik gebruik geen insuline meer" in page.content()
    assert OwnStatement.objects.filter(dossier=dossier).count() == 1

    page.goto(live_server.url + reverse("portal:requests"))
    browser.visit_check("verzoeken")
    page.check("input[name=kind][value=correctie]")
    page.fill("#id_reason", "Mijn diagnose is niet juist overgenomen.")
    page.click("main button[type=submit]")
    page.wait_for_url("**/portaal/verzoeken/")
    browser.visit_check("verzoek-ingediend")
    assert RightsRequest.objects.filter(client=client, kind="correctie").exists()
    assert "correctie" in page.inner_text("main").lower()

    assert DIAGNOSIS not in browser.storage() and "Dalen" not in browser.storage()
    after = log_out_and_go_back(browser)
    assert DIAGNOSIS not in after and "insuline" not in after
    assert browser.third_party_requests() == []
