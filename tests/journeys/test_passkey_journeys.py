"""Passkeys in the real Chromium, with its virtual authenticator (Chrome DevTools Protocol
WebAuthn domain: a platform authenticator with screen lock, like a phone's): a new client's
onboarding from the invitation link in at most three screens, a later sign-in with password
and passkey under the app's own Content-Security-Policy, and a zorgverlener adding a passkey
from the account page (issue 28)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django_otp_webauthn.models import WebAuthnCredential

from accounts.models import Practice, Role, portal_login_name
from dossiers.models import Client
from portal.services import invitation_create
from tests.journeys.conftest import VIEWPORTS, Browser, with_authenticator
from tests.journeys.helpers import log_in
from tests.personas import PASSWORD, make_user, register_client_with_dossier

pytestmark = pytest.mark.browser

DIAGNOSIS = "canary-diabetes-7f3a"  # what personas.dossier_data records


def phone_lock(page: Any) -> tuple[Any, str]:
    """A virtual platform authenticator that unlocks with the 'screen lock' (user verified)."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    added = cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )
    return cdp, added["authenticatorId"]


def passkeys_on(cdp: Any, authenticator: str) -> int:
    found = cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})
    return len(found["credentials"])


def screens_from_now(page: Any) -> list[str]:
    """Every page the browser shows from now on (main-frame documents; a redirect is not a
    screen, so a token that leaves the URL by a redirect adds none)."""
    shown: list[str] = []
    page.on(
        "framenavigated",
        lambda frame: frame == page.main_frame and shown.append(frame.url),
    )
    return shown


def a_client_with_dossier(username: str | None = None) -> tuple[Any, Client]:
    practice = Practice.objects.create(name="Wijkzorg De Wit")
    anna = make_user(
        "anna", Role.CAREGIVER, practice, name="Anna de Wit", agb_code="12345678"
    )
    dossier = register_client_with_dossier(anna)
    client = Client.objects.get(pk=dossier.client_id)
    if username:
        bram = make_user(username, Role.CLIENT, None, name="Bram Dalen")
        Client.objects.filter(pk=client.pk).update(portal_user=bram)
    return anna, client


@pytest.mark.parametrize("open_browser", ["phone"], indirect=True)
def test_a_new_client_is_in_the_portal_three_screens_after_the_invitation_link(
    open_browser, live_server
) -> None:
    anna, client = a_client_with_dossier()
    _, link = invitation_create(
        actor=anna, client=client, email="bram@example.nl", base_url=live_server.url
    )
    browser: Browser = open_browser("passkey-start")
    page = browser.page
    cdp, phone = phone_lock(page)
    shown = screens_from_now(page)

    page.goto(link)  # 1: choose a password
    browser.visit_check("uitnodiging")
    page.fill("#id_username", "bram.dalen")
    page.fill("#id_password1", "mijn geheime wandelroute 1950")
    page.fill("#id_password2", "mijn geheime wandelroute 1950")
    page.click("main button[type=submit]")
    page.wait_for_url("**/tweede-stap-instellen/")  # 2: one button
    browser.visit_check("telefoon-instellen")
    page.click("text=Inloggen met uw telefoon instellen")
    page.wait_for_url("**/portaal/")  # 3: the portal
    browser.visit_check("portaal")

    assert DIAGNOSIS in page.content()
    assert "Voortaan logt u in met uw wachtwoord" in page.content()
    assert len(shown) == 3, shown
    assert passkeys_on(cdp, phone) == 1
    assert WebAuthnCredential.objects.filter(
        user__username=portal_login_name("bram.dalen"), confirmed=True
    ).exists()
    assert browser.third_party_requests() == []


def test_a_later_sign_in_with_password_and_passkey_under_the_apps_own_csp(
    chromium, live_server, committed_db
) -> None:
    """A context without Playwright's CSP bypass: the library's scripts must run under the
    app's real policy (script-src 'self' + nonce), with nothing refused."""
    a_client_with_dossier(username="bram")
    context = chromium.new_context(viewport=VIEWPORTS["phone"], locale="nl-NL")
    page = context.new_page()
    refused: list[str] = []
    page.on(
        "console",
        lambda msg: "Content Security Policy" in msg.text and refused.append(msg.text),
    )
    page.on("pageerror", lambda error: refused.append(str(error)))
    cdp, phone = phone_lock(page)

    def sign_in_with_password() -> None:
        page.goto(live_server.url + reverse("accounts:login"))
        page.fill("#id_username", "bram")
        page.fill("#id_password", PASSWORD)
        page.click("main button[type=submit]")

    try:
        sign_in_with_password()  # first time: set up the phone
        page.wait_for_url("**/tweede-stap-instellen/")
        page.click("text=Inloggen met uw telefoon instellen")
        page.wait_for_url("**/portaal/")
        page.click("details.portal-menu > summary")  # the client's menu: one button
        page.click("text=Uitloggen")
        page.wait_for_url("**/inloggen/**")

        shown = screens_from_now(page)
        sign_in_with_password()  # later: password, then the phone
        page.wait_for_url("**/inloggen/code/**")
        assert page.locator("#id_token").count() == 0  # no codes: nothing to type
        page.click("text=Inloggen met uw telefoon")
        page.wait_for_url("**/portaal/")
        assert DIAGNOSIS in page.content()
        assert len(shown) == 3, shown  # sign-in page, the phone's turn, the portal
        assert passkeys_on(cdp, phone) == 1
        assert refused == []
    finally:
        context.close()


@pytest.mark.parametrize("open_browser", ["laptop"], indirect=True)
def test_a_zorgverlener_adds_a_passkey_from_the_account_page(open_browser) -> None:
    practice = Practice.objects.create(name="Wijkzorg De Wit")
    anna = make_user(
        "anna", Role.CAREGIVER, practice, name="Anna de Wit", agb_code="12345678"
    )
    with_authenticator(anna)  # she started with a code app
    browser: Browser = open_browser("passkey-zorgverlener")
    page = browser.page
    cdp, laptop = phone_lock(page)

    log_in(browser, anna, PASSWORD)
    page.click("a.who")
    page.click("text=Inlogmethoden")
    page.wait_for_url("**/account/inlogmethoden/")
    browser.visit_check("inlogmethoden")
    assert "Nog geen telefoon of computer ingesteld" in page.content()
    page.click("text=Dit apparaat toevoegen")
    page.wait_for_selector("ul.passkeys li")
    browser.visit_check("passkey-toegevoegd")
    assert "Het apparaat is toegevoegd" in page.content()
    assert passkeys_on(cdp, laptop) == 1

    page.click("text=Uitloggen")
    page.wait_for_url("**/inloggen/**")
    browser.go("/inloggen/")
    page.fill("#id_username", "anna")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url("**/inloggen/code/**")
    browser.visit_check("tweede-stap-passkey")
    assert page.locator("#id_token").count() == 1  # the code app stays an alternative
    page.click("text=Inloggen met dit apparaat")
    page.wait_for_url("**/clienten/")
    browser.visit_check("clientenlijst")
    assert WebAuthnCredential.objects.get(user=anna).last_used_at is not None
