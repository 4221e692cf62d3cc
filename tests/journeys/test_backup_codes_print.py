"""The backup-code page in a real Chromium at phone size: the Print button opens the
browser's print dialog (through the static script), the print view shows only the codes
and how to use them, and the download button saves them as a .txt file."""

from pathlib import Path

import pytest
from django.urls import reverse

from accounts.models import Practice, Role
from tests.journeys.conftest import totp_for_secret
from tests.personas import PASSWORD, make_user

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("open_browser", ["phone"], indirect=True)
def test_print_and_save_the_backup_codes(open_browser, live_server) -> None:
    anna = make_user("anna", Role.CAREGIVER, Practice.objects.create(name="Wijkzorg"))
    browser = open_browser("reservecodes")
    page = browser.page
    browser.go(reverse("accounts:login"))
    page.fill("#id_username", anna.username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url("**/tweede-stap-instellen/")
    page.click("text=Code-app instellen")  # the alternative to a passkey
    page.wait_for_url("**/code-instellen/")
    page.fill("#id_token", totp_for_secret(page.inner_text("main code")))
    page.click("main button[type=submit]")
    page.wait_for_selector("main .codes li")
    browser.visit_check("reservecodes")
    codes = page.locator("main .codes li").all_inner_texts()
    assert len(codes) == 10 and all(len(code) == 19 for code in codes)

    page.evaluate(
        "() => { window.printed = 0; window.print = () => { window.printed += 1; }; }"
    )
    page.click("text=Printen")
    assert page.evaluate("window.printed") == 1

    page.emulate_media(media="print")
    assert page.is_hidden("header") and page.is_hidden("text=Printen")
    assert page.is_hidden("text=Opslaan als bestand")
    assert page.is_visible("main .codes") and page.is_visible("main .print-only")
    page.emulate_media(media="screen")

    with page.expect_download() as info:
        page.click("text=Opslaan als bestand")
    download = info.value
    assert download.suggested_filename == "ecd-reservecodes.txt"
    saved = Path(download.path()).read_text(encoding="utf-8")
    assert all(code in saved for code in codes)
    assert browser.third_party_requests() == []
