"""Journey: a client takes the afschrift-pakket home on a phone (390 px wide).

The password lock is off until the client taps it on; the box itself and its words both
toggle it; the password stays on screen (no self-refresh) until dismissed, can be copied,
and opens the downloaded zip."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import pyzipper
from django.core.management import call_command
from django.urls import reverse

from tests.journeys.conftest import with_authenticator
from tests.journeys.helpers import log_in
from tests.personas import PASSWORD, make_cast

pytestmark = pytest.mark.browser


def test_a_client_takes_the_package_home_on_a_phone(
    open_browser, tmp_path: Path
) -> None:
    browser = open_browser("afschrift")
    if browser.viewport != "phone":
        pytest.skip("this journey is about the phone")
    cast = make_cast()
    with_authenticator(cast.bram)
    page = browser.page
    log_in(browser, cast.bram, PASSWORD)
    browser.go(reverse("dossiers:export_pdf", args=[cast.dossier.pk]))
    browser.visit_check("afschrift-maken")
    box = page.locator("#id_protect")
    assert not box.is_checked()  # a client's own download is not locked by default
    # The box itself is the target: what is at its centre is the box, not a help text.
    box.scroll_into_view_if_needed()
    rect = box.bounding_box()
    assert rect and rect["width"] >= 12
    hit = page.evaluate(
        "([x, y]) => document.elementFromPoint(x, y).id",
        [rect["x"] + rect["width"] / 2, rect["y"] + rect["height"] / 2],
    )
    assert hit == "id_protect"
    page.mouse.click(rect["x"] + rect["width"] / 2, rect["y"] + rect["height"] / 2)
    assert box.is_checked()
    page.click("text=Beveilig het bestand met een wachtwoord")
    assert not box.is_checked()  # the words toggle it too
    page.mouse.click(rect["x"] + rect["width"] / 2, rect["y"] + rect["height"] / 2)
    assert box.is_checked()
    page.check("input[name=kind][value=pakket]")
    page.click("main button[type=submit]")
    page.wait_for_load_state("load")
    browser.visit_check("wachtwoord")
    password = page.input_value("#export-password")
    assert len(password) == 19
    url = page.url
    page.wait_for_timeout(4000)  # the old page refreshed itself after 2 s
    assert page.url == url
    assert page.input_value("#export-password") == password
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.click("#copy-password")
    assert page.evaluate("navigator.clipboard.readText()") == password
    assert page.inner_text("#copy-password") == "Gekopieerd"
    call_command("run_exports", "--once")
    page.click("text=Ik heb het wachtwoord bewaard")
    page.wait_for_load_state("load")
    assert page.locator("#export-password").count() == 0
    browser.visit_check("afschrift-klaar")
    with page.expect_download() as download_info:
        page.click("text=Download het afschrift-pakket (zip)")
    saved = tmp_path / "pakket.zip"
    download_info.value.save_as(saved)
    with pyzipper.AESZipFile(io.BytesIO(saved.read_bytes())) as archive:
        archive.setpassword(password.encode())
        assert archive.read("afschrift.pdf").startswith(b"%PDF")
        assert b"Dorpsstraat 1" in archive.read("afschrift.json")
    assert browser.third_party_requests() == []
