"""Every page a zorgverlener or an inspector can open, at phone size (390 px): no serious
axe violation, no sideways scrolling; on the dossier page the primary action is in reach
without scrolling, and a folded section stays folded on the next visit."""

import pytest

from tests.consent.test_authorization_matrix import ACTORS, MATRIX
from tests.journeys.conftest import VIEWPORTS, with_authenticator
from tests.journeys.helpers import log_in
from tests.personas import PASSWORD
from tests.routes import all_routes
from tests.world import make_world

pytestmark = pytest.mark.browser


def html_pages_of(actor: str, browser, samples) -> list[tuple[str, str]]:
    """The routes the matrix says this actor may GET, that answer with an HTML page."""
    column = ACTORS.index(actor)
    pages = []
    for route in all_routes():
        if MATRIX[route.name][0][column] != "A" or route.name == "accounts:logout":
            continue
        url = route.url(samples)
        answer = browser.page.request.get(browser.origin + url)
        if answer.headers.get("content-type", "").startswith("text/html"):
            pages.append((route.name, url))
    return pages


def visit_all(browser, pages: list[tuple[str, str]]) -> None:
    for name, url in pages:
        browser.go(url)
        browser.visit_check(name.replace(":", "-"))


@pytest.mark.parametrize("open_browser", ["phone"], indirect=True)
def test_every_caregiver_page_at_phone_size(open_browser) -> None:
    world = make_world()
    anna = world.cast.anna
    with_authenticator(anna)
    browser = open_browser("telefoon-zorgverlener")
    log_in(browser, anna, PASSWORD)
    pages = html_pages_of("owner", browser, world.samples)
    assert len(pages) >= 20
    visit_all(browser, pages)

    page = browser.page
    browser.go(f"/dossiers/{world.cast.dossier.pk}/")
    action = page.get_by_role("button", name="Zorgmoment vastleggen").first
    box = action.bounding_box()
    assert box is not None
    assert box["y"] >= 0 and box["y"] + box["height"] <= VIEWPORTS["phone"]["height"]
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    box = action.bounding_box()
    assert box["y"] + box["height"] <= VIEWPORTS["phone"]["height"]  # still in reach

    page.locator("details[data-fold=doelen] > summary").click()
    assert not page.locator("details[data-fold=doelen]").evaluate("d => d.open")
    page.reload()
    assert not page.locator("details[data-fold=doelen]").evaluate("d => d.open")
    assert page.locator("details[data-fold=zorgmomenten]").evaluate("d => d.open")
    assert "Bram" not in browser.storage()
    assert browser.third_party_requests() == []


@pytest.mark.parametrize("open_browser", ["phone"], indirect=True)
def test_every_inspector_page_at_phone_size(open_browser) -> None:
    world = make_world()
    ingrid = world.cast.ingrid
    with_authenticator(ingrid)
    browser = open_browser("telefoon-inspecteur")
    log_in(browser, ingrid, PASSWORD)
    pages = html_pages_of("inspector", browser, world.samples)
    assert {"dossiers:dossier_detail", "practice:readiness"} <= {n for n, _ in pages}
    visit_all(browser, pages)
