"""Browser journeys: Playwright driving Debian's Chromium against a live server.

Every page a journey visits goes through `Browser.visit_check`: axe-core (from node_modules,
injected with the context's CSP bypass) must find no serious or critical WCAG 2.1 AA
violation, the page must not scroll sideways, and a screenshot lands in var/screenshots/.
Every request of the context is recorded, so a journey can assert that nothing left the
app's own origin.
"""

from __future__ import annotations

import base64
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "var" / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
VIEWPORTS = {
    "laptop": {"width": 1280, "height": 800},
    "phone": {"width": 390, "height": 844},
}
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    missing = [p for p in (Path(CHROMIUM), AXE) if not p.exists()]
    for item in items:
        if "journeys" in item.nodeid and missing:
            item.add_marker(
                pytest.mark.skip(reason=f"missing {missing}: run `make test` once")
            )


@pytest.fixture(scope="module")
def chromium():
    """One browser per journey module. While Playwright's event loop lives, Django's
    async-safety check would refuse the test's own ORM calls, so it is switched off for
    exactly that long (never globally: `check --deploy` rightly refuses it)."""
    from playwright.sync_api import sync_playwright

    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-dev-shm-usage"]
        )
        yield browser
        browser.close()


@dataclass
class Browser:
    page: object
    origin: str
    journey: str
    viewport: str
    requests: list[str] = field(default_factory=list)
    visited: list[str] = field(default_factory=list)
    broken_assets: list[str] = field(default_factory=list)
    step: int = 0

    def go(self, path: str) -> None:
        self.page.goto(self.origin + path)  # type: ignore[attr-defined]

    def visit_check(self, name: str) -> None:
        """Accessibility, no sideways scrolling, and a screenshot for a person to look at."""
        page = self.page
        page.wait_for_load_state("load")  # type: ignore[attr-defined]
        self.step += 1
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(  # type: ignore[attr-defined]
            path=str(
                SCREENSHOTS
                / f"{self.journey}-{self.viewport}-{self.step:02d}-{name}.png"
            ),
            full_page=True,
        )
        page.add_script_tag(path=str(AXE))  # type: ignore[attr-defined]
        serious = page.evaluate(  # type: ignore[attr-defined]
            """async (tags) => {
                const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
                return result.violations
                  .filter(v => v.impact === 'serious' || v.impact === 'critical')
                  .map(v => v.id + ' ' + v.nodes.map(n => n.target.join(' ') + ' (' + n.failureSummary + ')').join(', '));
            }""",
            WCAG,
        )
        assert serious == [], f"{name} ({page.url}): {serious}"  # type: ignore[attr-defined]
        assert self.broken_assets == [], f"{name}: {self.broken_assets}"
        overflow = page.evaluate(  # type: ignore[attr-defined]
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, (
            f"{name} scrolls sideways by {overflow}px at {self.viewport}"
        )
        self.visited.append(page.url)  # type: ignore[attr-defined]

    def third_party_requests(self) -> list[str]:
        own = (self.origin + "/", "data:", "blob:")
        return [url for url in self.requests if not url.startswith(own)]

    def storage(self) -> str:
        return self.page.evaluate(  # type: ignore[attr-defined]
            "JSON.stringify([Object.entries(localStorage), Object.entries(sessionStorage)])"
        )


@pytest.fixture(params=list(VIEWPORTS))
def open_browser(request, chromium, live_server, committed_db) -> Iterator:
    contexts = []

    def make(journey: str) -> Browser:
        context = chromium.new_context(
            viewport=VIEWPORTS[request.param],
            bypass_csp=True,  # only so axe-core can be injected; the app's CSP is tested elsewhere
            accept_downloads=True,
            locale="nl-NL",
        )
        contexts.append(context)
        browser = Browser(
            page=context.new_page(),
            origin=live_server.url,
            journey=journey,
            viewport=request.param,
        )
        context.on("request", lambda r: browser.requests.append(r.url))
        context.on(
            "response",
            lambda r: (
                r.status >= 400
                and "/static/" in r.url
                and browser.broken_assets.append(f"{r.status} {r.url}")
            ),
        )
        return browser

    yield make
    for context in contexts:
        context.close()


def totp_now(user) -> str:
    """The current code of the user's authenticator app."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).get()
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def totp_for_secret(secret_base32: str) -> str:
    key = base64.b32decode(secret_base32 + "=" * (-len(secret_base32) % 8))
    return f"{totp(key):06d}"


def with_authenticator(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="telefoon", confirmed=True)
