"""No dossier data without the second factor; a TOTP code works once; failures are logged."""

import pytest
from django.core import mail
from django.test import Client as HttpClient
from django.urls import reverse

from audit.models import AccessEvent
from tests.accounts.helpers import current_code, device_for, password_login
from tests.personas import Cast


def test_without_a_second_factor_no_dossier_page_is_reachable(cast: Cast) -> None:
    http = HttpClient()
    assert password_login(http, "anna").status_code == 302
    for url in (
        reverse("dossiers:dossier_detail", args=[cast.dossier.pk]),
        reverse("dossiers:client_list"),
        reverse("audit:dossier_log", args=[cast.dossier.pk]),
    ):
        response = http.get(url)
        assert response.status_code == 302 and response["Location"] == reverse(
            "accounts:otp_setup"
        )
        assert b"Dalen" not in response.content


@pytest.mark.parametrize("username", ["anna", "bram"])
def test_with_a_device_but_no_code_every_page_asks_for_it(
    cast: Cast, username: str
) -> None:
    user = cast.anna if username == "anna" else cast.bram
    device_for(user)
    http = HttpClient()
    password_login(http, username)
    response = http.get(reverse("dossiers:dossier_detail", args=[cast.dossier.pk]))
    assert response["Location"] == reverse("accounts:otp_verify")


def test_a_wrong_code_is_refused_and_logged(cast: Cast) -> None:
    device = device_for(cast.anna)
    http = HttpClient()
    password_login(http, "anna")
    wrong = "000000" if current_code(device) != "000000" else "111111"
    response = http.post(reverse("accounts:otp_verify"), {"token": wrong})
    assert response.status_code == 200
    assert "klopt niet" in response.context["form"].errors["token"][0]
    assert (
        AccessEvent.objects.filter(
            event_type="otp.failed", actor_id=cast.anna.pk, outcome="denied"
        ).count()
        == 1
    )


def test_a_code_works_once_and_its_reuse_is_logged_and_reported(cast: Cast) -> None:
    cast.anna.email = "anna@example.nl"
    cast.anna.save()
    device = device_for(cast.anna)
    code = current_code(device)
    first = HttpClient()
    password_login(first, "anna")
    assert (
        first.post(reverse("accounts:otp_verify"), {"token": code}).status_code == 302
    )
    assert (
        first.get(
            reverse("dossiers:dossier_detail", args=[cast.dossier.pk])
        ).status_code
        == 200
    )
    second = HttpClient()
    password_login(second, "anna", ip="10.9.9.9")
    response = second.post(reverse("accounts:otp_verify"), {"token": code})
    assert response.status_code == 200
    assert (
        AccessEvent.objects.filter(
            event_type="otp.reuse", actor_id=cast.anna.pk
        ).count()
        == 1
    )
    assert [m.to for m in mail.outbox] == [["anna@example.nl"]]


def test_the_session_id_changes_at_each_step(cast: Cast) -> None:
    device = device_for(cast.anna)
    http = HttpClient()
    http.get(reverse("accounts:login"))
    http.cookies["sessionid"] = "x"  # a planted pre-login id
    password_login(http, "anna")
    after_password = http.cookies["sessionid"].value
    assert after_password != "x"
    http.post(reverse("accounts:otp_verify"), {"token": current_code(device)})
    after_code = http.cookies["sessionid"].value
    assert after_code not in ("x", after_password)
    stale = HttpClient()
    stale.cookies["sessionid"] = after_password
    assert stale.get(reverse("dossiers:client_list"))["Location"].startswith(
        reverse("accounts:login")
    )


def test_setup_confirms_the_app_and_hands_out_backup_codes_that_work_once(
    cast: Cast,
) -> None:
    http = HttpClient()
    password_login(http, "anna")
    page = http.get(reverse("accounts:totp_setup"))
    assert page.status_code == 200 and page.context["secret"]
    qr = http.get(reverse("accounts:otp_qr"))
    assert qr["Content-Type"] == "image/svg+xml" and b"<svg" in qr.content
    from django_otp.plugins.otp_totp.models import TOTPDevice

    pending = TOTPDevice.objects.get(user=cast.anna, confirmed=False)
    response = http.post(
        reverse("accounts:totp_setup"), {"token": current_code(pending)}
    )
    codes = response.context["codes"]
    assert len(codes) == 10
    assert http.get(reverse("dossiers:client_list")).status_code == 200
    other = HttpClient()
    password_login(other, "anna", ip="10.2.2.2")
    assert (
        other.post(reverse("accounts:otp_verify"), {"token": codes[0]}).status_code
        == 302
    )
    third = HttpClient()
    password_login(third, "anna", ip="10.3.3.3")
    assert (
        third.post(reverse("accounts:otp_verify"), {"token": codes[0]}).status_code
        == 200
    )


def test_setting_up_a_second_app_needs_the_current_factor(cast: Cast) -> None:
    device_for(cast.anna)
    http = HttpClient()
    password_login(http, "anna")
    for setup in ("accounts:otp_setup", "accounts:totp_setup"):
        assert http.get(reverse(setup))["Location"] == reverse("accounts:otp_verify")
