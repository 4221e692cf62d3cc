"""Which domain passkeys belong to (the RP ID): from ECD_WEBAUTHN_RP_ID, else the first host
name of ALLOWED_HOSTS that is no IP address, else localhost; on an address where a browser
cannot use passkeys (an IP address such as make run's 127.0.0.1) the code app is offered."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from tests.accounts.helpers import password_login
from tests.personas import Cast

ROOT = Path(__file__).resolve().parents[2]


def rp_id_with(**env: str) -> str:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("ECD_WEBAUTHN")}
    clean.pop("ALLOWED_HOSTS", None)
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.OTP_WEBAUTHN_RP_ID, settings.OTP_WEBAUTHN_ALLOWED_ORIGINS)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        env={**clean, "DJANGO_SETTINGS_MODULE": "ecd.settings", **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, "localhost ['https://localhost']"),
        (
            {"ALLOWED_HOSTS": "10.0.0.5,[::1],zorg.example.nl"},
            "zorg.example.nl ['https://zorg.example.nl']",
        ),
        (
            {
                "ALLOWED_HOSTS": "ecd.zorg.example.nl",
                "ECD_WEBAUTHN_RP_ID": "zorg.example.nl",
                "ECD_WEBAUTHN_ORIGINS": "https://ecd.zorg.example.nl",
            },
            "zorg.example.nl ['https://ecd.zorg.example.nl']",
        ),
    ],
)
def test_the_rp_id_and_origins_come_from_the_environment(
    env: dict[str, str], expected: str
) -> None:
    assert rp_id_with(**env) == expected


def test_on_an_ip_address_the_code_app_is_offered(cast: Cast) -> None:
    http = HttpClient(HTTP_HOST="127.0.0.1:8000")
    password_login(http, "bram")
    page = http.get(reverse("accounts:otp_setup"))
    assert page.context["passkey"] is False
    html = page.content.decode()
    assert "otp_webauthn_register.js" not in html
    assert reverse("accounts:totp_setup") in html


def test_on_localhost_with_any_port_passkeys_are_offered(cast: Cast) -> None:
    http = HttpClient(HTTP_HOST="localhost:8123")
    password_login(http, "bram")
    assert http.get(reverse("accounts:otp_setup")).context["passkey"] is True
