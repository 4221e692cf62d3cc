from __future__ import annotations

from typing import Any

from django.test import Client as HttpClient
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.personas import PASSWORD


def current_code(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = totp.time + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def password_login(
    http: HttpClient, username: str, password: str = PASSWORD, ip: str = "10.1.1.1"
) -> Any:
    return http.post(
        reverse("accounts:login"),
        {"username": username, "password": password},
        REMOTE_ADDR=ip,
    )


def device_for(user: Any) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="telefoon", confirmed=True)


def mailed_path(message: Any, marker: str) -> str:
    """The path of the link in a mail whose URL contains `marker` (host left off)."""
    import re

    found = re.search(
        r"https?://[^/\s]+(\S*" + re.escape(marker) + r"\S*)", message.body
    )
    assert found, message.body
    return found.group(1)
