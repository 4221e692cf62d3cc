"""Journey 1: a zorgverlener logs in with two factors, registers a Zvw client, builds the
dossier, watches the completeness panel, and downloads the PDF afschrift."""

import pytest
from django.utils import timezone
from playwright.sync_api import Error as PlaywrightError

from accounts.models import Practice, Role
from audit.models import AccessEvent
from dossiers.export_services import next_job, pdf_job_run
from dossiers.models import CareMoment
from tests.journeys.conftest import with_authenticator
from tests.journeys.helpers import log_in, log_out_and_go_back
from tests.personas import PASSWORD, client_named, make_user

pytestmark = pytest.mark.browser

DIAGNOSIS = "canary-COPD-gold-3"


def test_the_caregiver_journey(open_browser) -> None:
    practice = Practice.objects.create(name="Wijkzorg De Wit")
    anna = make_user(
        "anna", Role.CAREGIVER, practice, name="Anna de Wit", agb_code="12345678"
    )
    with_authenticator(anna)
    browser = open_browser("zorgverlener")
    page = browser.page
    today = timezone.localdate().isoformat()

    log_in(browser, anna, PASSWORD)
    assert "/clienten/" in page.url
    browser.visit_check("clientenlijst")

    browser.go("/clienten/nieuw/")
    browser.visit_check("client-registreren")
    page.fill("#id_given_names", "Hendrika")
    page.fill("#id_family_name", "Bos")
    page.fill("#id_date_of_birth", "1941-03-08")
    page.select_option("#id_funding", "zvw")
    page.click("main button[type=submit]")  # without BSN: a clear error, input kept
    assert "het BSN verplicht" in page.content()
    assert page.input_value("#id_family_name") == "Bos"
    browser.visit_check("client-fout")
    page.fill("#id_bsn", "111222333")
    page.select_option("#id_id_document_type", "paspoort")
    page.fill("#id_id_document_number", "NX12AB345")
    page.fill("#id_id_checked_on", today)
    page.click("main button[type=submit]")
    page.wait_for_url("**/dossier/nieuw/")
    browser.visit_check("dossier-openen")
    page.fill("#id_practitioner_name", "Anna de Wit")
    page.fill("#id_practitioner_profession", "wijkverpleegkundige")
    page.fill("#id_agb_code", "12345678")
    page.select_option("#id_legal_basis", "overeenkomst")
    page.fill("#id_circumstances", "Woont zelfstandig, dochter komt dagelijks.")
    page.fill("#id_diagnosis", DIAGNOSIS)
    page.fill("#id_start_date", today)
    page.click("main button[type=submit]")
    page.wait_for_url("**/dossiers/*/")
    dossier_url = page.url
    browser.visit_check("dossier-leeg")
    assert "Er ontbreken nog" in page.inner_text(".completeness")

    def add(kind: str, fill) -> None:
        page.goto(dossier_url + f"{kind}/nieuw/")
        browser.visit_check(f"{kind}-nieuw")
        fill()
        page.click("main button[type=submit]")
        page.wait_for_url(dossier_url)

    add("doelen", lambda: page.fill("#id_description", "Zelfstandig douchen"))

    def treatment() -> None:
        page.fill("#id_title", "Douchetraining")
        page.fill("#id_description", "Twee keer per week begeleid douchen.")
        page.fill("#id_proposed_on", today)
        page.check("input[name=goals]")

    add("behandelingen", treatment)

    def consent() -> None:
        page.select_option("#id_treatment", index=1)
        page.fill("#id_scope", "Begeleiding bij het douchen")
        page.fill("#id_given_on", today)
        page.select_option("#id_method", "mondeling")
        page.fill("#id_given_by", "cliënt zelf")

    add("toestemmingen", consent)
    for hour in (9, 14):

        def moment(hour: int = hour) -> None:
            page.fill("#id_date", today)
            page.fill("#id_start_time", f"{hour:02d}:00")
            page.fill("#id_end_time", f"{hour:02d}:45")
            page.fill("#id_activities", f"Douchen begeleid om {hour} uur")
            page.fill("#id_results", "Ging goed")
            page.check("input[name=goals]")

        add("zorgmomenten", moment)
    browser.visit_check("dossier-gevuld")
    assert "Douchen begeleid om 14 uur" in page.content()
    panel = page.inner_text(".completeness")
    assert "Er ontbreken nog 2 onderdelen" in panel  # down from all of them
    assert "Overleg met de cliënt" in panel and "Ervaringen van de cliënt" in panel
    assert CareMoment.objects.count() == 2

    page.goto(dossier_url + "afschrift/")
    browser.visit_check("afschrift-aanvragen")
    page.click("main button[type=submit]")
    # A zorgverlener's copy is locked by default; the password stays until dismissed.
    assert page.input_value("#export-password")
    page.click("text=Ik heb het wachtwoord bewaard")
    page.wait_for_url("**/afschrift/*/")
    job = next_job()  # the worker's part, run here
    assert job is not None
    pdf_job_run(job)
    # The job page refreshes itself while it waits; a reload can race that refresh.
    for _attempt in range(3):
        try:
            page.reload()
            break
        except PlaywrightError:
            page.wait_for_load_state("load")
    page.wait_for_selector("text=Download het afschrift (PDF)")
    browser.visit_check("afschrift-klaar")
    with page.expect_download() as download:
        page.click("text=Download het afschrift (PDF)")
    pdf = download.value.path().read_bytes()
    assert pdf.startswith(b"%PDF") and len(pdf) > 5_000

    # What the access log holds of this journey: reads, writes and the export.
    client = client_named("Bos")
    kinds = set(
        AccessEvent.objects.filter(client_id=client.pk).values_list(
            "event_type", flat=True
        )
    )
    assert {
        "client.create",
        "caremoment.create",
        "export.pdf.requested",
        "export.pdf",
    } <= kinds

    assert DIAGNOSIS not in browser.storage() and "Bos" not in browser.storage()
    after = log_out_and_go_back(browser)
    assert DIAGNOSIS not in after and "Hendrika" not in after
    assert browser.third_party_requests() == []
