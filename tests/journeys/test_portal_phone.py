"""Every page a client opens, on a phone (390 × 844): the content starts in the top quarter
of the screen, the menu is one button, the current page is marked, the practice's name and
phone number are on the page, and axe finds no serious violation. Each page's screenshot is
written to docs/screenshots/<page>.png for people to look at (and committed)."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from consent.models import AccessGrant
from portal.models import RightsRequest
from portal.services import request_decide
from tests.journeys.conftest import ROOT, VIEWPORTS, with_authenticator
from tests.journeys.helpers import log_in
from tests.journeys.test_phone_pages import html_pages_of
from tests.personas import PASSWORD
from tests.world import _grant, fill_every_field, make_world

pytestmark = pytest.mark.browser

DOCS = ROOT / "docs" / "screenshots"
PHONE = VIEWPORTS["phone"]
MENU_PAGES = {
    "portal:home",
    "portal:who_saw",
    "portal:statement_create",
    "portal:requests",
    "portal:grants",
    "dossiers:export_pdf",
    "dossiers:export_job",
    "practice:privacy_public",
    "accounts:session_list",
    "notifications:portal_preferences",
}


def screenshot(page, name: str) -> Path:
    DOCS.mkdir(parents=True, exist_ok=True)
    path = DOCS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def the_sample_world():
    """Bram's fully filled record, a decided request, and a grant that starts next week."""
    world = make_world()
    fill_every_field(world)
    item = RightsRequest.objects.get(pk=world.samples["request_id"])
    request_decide(
        actor=world.cast.anna,
        request=item,
        status="deels",
        reason="canary-besluit-deels",
    )
    today = timezone.localdate()
    future = _grant(
        world.cast,
        world.cast.dirk,
        valid_from=today + datetime.timedelta(days=7),
        valid_until=today + datetime.timedelta(days=30),
    )
    return world, future


@pytest.mark.parametrize("open_browser", ["phone"], indirect=True)
def test_every_portal_page_at_phone_size(open_browser) -> None:
    world, future = the_sample_world()
    bram = world.cast.bram
    with_authenticator(bram)
    browser = open_browser("telefoon-client")
    page = browser.page
    log_in(browser, bram, PASSWORD)
    pages = [
        (name, url)
        for name, url in html_pages_of("client_self", browser, world.samples)
        if name != "status"  # the bare health answer, not a page of the site
    ]
    assert MENU_PAGES - {"dossiers:export_job"} <= {n for n, _ in pages}

    for name, url in pages:
        browser.go(url)
        browser.visit_check(name.replace(":", "-"))
        screenshot(page, name.replace(":", "-"))
        heading = page.locator("main h1").first.bounding_box()
        assert heading is not None, name
        assert heading["y"] < 0.25 * PHONE["height"], (name, heading)
        head = page.locator("header.portal-head")
        assert "Praktijk Anna" in head.inner_text(), name
        assert "030-1234567" in head.inner_text(), name
        assert page.locator("header.portal-head a[href='tel:0301234567']").count() == 1
        menu = page.locator("details.portal-menu")
        assert menu.count() == 1 and not menu.evaluate("d => d.open"), name
        assert page.locator("details.portal-menu nav a").first.is_hidden(), name
        current = page.locator("a[aria-current=page]")
        if name in MENU_PAGES:
            assert current.count() == 1, name
            marked = url.split("?")[0]
            if name == "dossiers:export_job":  # a copy being made is under "Afschrift"
                marked = reverse("dossiers:export_pdf", args=[world.cast.dossier.pk])
            assert current.get_attribute("href") == marked, name
        else:
            assert current.count() == 0, name

    # The menu opens with one tap; its links are then on screen and the page is checked.
    browser.go("/portaal/")
    page.locator("details.portal-menu > summary").click()
    assert page.locator("details.portal-menu nav a", has_text="Verzoeken").is_visible()
    browser.visit_check("menu-open")
    page.screenshot(path=str(DOCS / "portal-menu-open.png"))

    # A word the client may not know opens its explanation with one tap.
    browser.go("/portaal/verzoeken/")
    text = page.inner_text("main")
    assert "klopt niet" in text  # the client's own explanation (make_world's request)
    assert "canary-besluit-deels" in text
    decided = timezone.localtime(
        RightsRequest.objects.get(pk=world.samples["request_id"]).decided_at
    )
    assert f"besloten op {decided.day} " in text
    page.locator("details.terms > summary").first.click()
    assert page.locator("details.terms dd", has_text="niet gebruikt").is_visible()
    browser.visit_check("uitleg-open")
    page.screenshot(path=str(DOCS / "portal-requests-uitleg.png"), full_page=True)

    # A grant that starts next week can be revoked now.
    browser.go("/portaal/toegang/")
    row = page.locator("li.entry", has_text="gaat nog in")
    row.get_by_role("button", name="Toestemming intrekken").click()
    page.wait_for_url("**/portaal/toegang/")
    assert AccessGrant.objects.get(pk=future.pk).revoked_at is not None
    assert "Bram" not in browser.storage()
    assert browser.third_party_requests() == []
