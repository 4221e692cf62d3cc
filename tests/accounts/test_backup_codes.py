"""Backup codes: only the digits 2-9 (no look-alikes, and a phone's number pad types them),
in groups of four, accepted with or without spaces and dashes; a print button (a static script under the CSP, a print stylesheet) and a .txt
download that only the session that just made them can fetch, never cached."""

import re
from pathlib import Path

from django.conf import settings
from django.test import Client as HttpClient
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import otp
from tests.accounts.helpers import current_code, password_login
from tests.personas import Cast

LOOK_ALIKES = set("lL1iIoO0")
CODE = re.compile(r"^[2-9]{4}-[2-9]{4}-[2-9]{4}-[2-9]{4}$")
STATIC = Path(settings.BASE_DIR) / "ecd" / "static"


def enrol(http: HttpClient, username: str):
    password_login(http, username)
    http.get(reverse("accounts:totp_setup"))
    device = TOTPDevice.objects.get(user__username=username, confirmed=False)
    return http.post(reverse("accounts:totp_setup"), {"token": current_code(device)})


def test_codes_have_no_look_alike_characters_and_come_in_groups(cast: Cast) -> None:
    response = enrol(HttpClient(), "anna")
    codes = response.context["codes"]
    assert len(codes) == otp.BACKUP_CODES == len(set(codes))
    for code in codes:
        assert CODE.match(code), code
        assert not LOOK_ALIKES & set(code), code
    assert not LOOK_ALIKES & set(otp.CODE_ALPHABET)
    assert otp.CODE_ALPHABET.isdigit()  # the code field opens the number pad
    html = response.content.decode()
    assert all(f"<code>{code}</code>" in html for code in codes)


def test_a_code_works_typed_with_spaces_or_run_together_and_only_once(
    cast: Cast,
) -> None:
    codes = enrol(HttpClient(), "anna").context["codes"]

    def sign_in_with(token: str):
        http = HttpClient()
        password_login(http, "anna", ip="10.9.9.9")
        return http.post(reverse("accounts:otp_verify"), {"token": token})

    assert sign_in_with(codes[3].replace("-", " ")).status_code == 302
    assert sign_in_with(codes[4].replace("-", "")).status_code == 302
    assert sign_in_with(codes[3]).status_code == 200  # used up


def test_the_print_button_uses_a_static_script_and_a_print_stylesheet(
    cast: Cast,
) -> None:
    response = enrol(HttpClient(), "anna")
    html = response.content.decode()
    assert re.search(r"<button[^>]*data-print[^>]*>Printen</button>", html)
    scripts = re.findall(r"<script[^>]*>", html)
    assert scripts and all('src="/static/' in tag for tag in scripts)  # no inline JS
    assert "script-src 'self' 'nonce-" in response["Content-Security-Policy"]
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    script = (STATIC / "ecd.js").read_text()
    assert "[data-print]" in script and "window.print()" in script
    css = (STATIC / "ecd.css").read_text()
    print_rules = css[css.index("@media print") :]
    assert ".no-print" in print_rules and "header" in print_rules


def test_the_download_is_a_txt_file_for_the_owner_right_after(cast: Cast) -> None:
    owner = HttpClient()
    codes = enrol(owner, "anna").context["codes"]
    response = owner.get(reverse("accounts:backup_codes_download"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="ecd-reservecodes.txt"'
    )
    assert "no-store" in response["Cache-Control"]
    body = response.content.decode()
    assert all(code in body for code in codes)
    assert "Reservecodes voor het ECD" in body


def test_nobody_else_and_nothing_later_gets_the_download(cast: Cast) -> None:
    owner = HttpClient()
    enrol(owner, "anna")
    other = HttpClient()
    enrol(other, "carla")
    url = reverse("accounts:backup_codes_download")
    anna_codes = owner.get(url).content.decode()
    assert anna_codes not in other.get(url).content.decode()
    assert HttpClient().get(url).status_code == 302  # not signed in: to the login page
    # A second session of the owner (another device) has no codes to fetch.
    second = HttpClient()
    password_login(second, "anna", ip="10.8.8.8")
    from django_otp.plugins.otp_static.models import StaticDevice

    token = StaticDevice.objects.get(user=cast.anna).token_set.first().token
    second.post(reverse("accounts:otp_verify"), {"token": token})
    assert second.get(url).status_code == 404
    # Ten minutes later the owner's own session no longer serves them either.
    session = owner.session
    session[otp.CODES_SESSION_KEY]["at"] -= otp.CODES_DOWNLOAD_SECONDS + 1
    session.save()
    assert owner.get(url).status_code == 404
