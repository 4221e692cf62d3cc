"""Steps that several journeys share."""

from __future__ import annotations

from tests.journeys.conftest import Browser, totp_now


def log_in(browser: Browser, user, password: str) -> None:
    page = browser.page
    browser.go("/inloggen/")
    browser.visit_check("inloggen")
    page.fill("#id_username", user.username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url("**/inloggen/code/**")
    browser.visit_check("tweede-stap")
    page.fill("#id_token", totp_now(user))
    page.click("main button[type=submit]")
    page.wait_for_load_state("load")


def log_out_and_go_back(browser: Browser) -> str:
    """Log out, press Back, and return what the page then shows."""
    page = browser.page
    menu = page.locator("details.portal-menu > summary")
    if menu.count():  # a client's menu sits behind one button
        menu.click()
    page.click("text=Uitloggen")
    page.wait_for_url("**/inloggen/**")
    page.go_back()
    page.wait_for_load_state("load")
    return page.content()
