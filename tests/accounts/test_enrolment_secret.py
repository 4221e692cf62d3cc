"""No second-factor secret before the password step and an enrolment asked for (issue 28)."""

from django.test import Client as HttpClient
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.accounts.helpers import password_login
from tests.personas import Cast


def test_the_qr_code_creates_no_secret_before_enrolment_started(cast: Cast) -> None:
    """After only the password step, fetching the QR code yields 404 and no device."""
    http = HttpClient()
    password_login(http, "anna")
    assert http.get(reverse("accounts:otp_qr")).status_code == 404
    assert not TOTPDevice.objects.filter(user=cast.anna).exists()


def test_a_new_enrolment_discards_the_unconfirmed_device_and_its_secret(
    cast: Cast,
) -> None:
    """A secret someone else fetched earlier is gone when the user starts enrolling."""
    other = HttpClient()
    password_login(other, "anna")
    other.get(reverse("accounts:totp_setup"))
    stolen = TOTPDevice.objects.get(user=cast.anna, confirmed=False).key
    http = HttpClient()
    password_login(http, "anna", ip="10.2.2.2")
    page = http.get(reverse("accounts:totp_setup"))
    fresh = TOTPDevice.objects.get(user=cast.anna, confirmed=False)
    assert fresh.key != stolen
    assert page.context["secret"]
    assert other.get(reverse("accounts:otp_qr")).status_code == 404
    assert http.get(reverse("accounts:otp_qr")).status_code == 200
