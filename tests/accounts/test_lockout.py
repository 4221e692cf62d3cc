"""Throttling: account+address lockout, a per-account cap, and an unlock path."""

import re

from django.core import mail
from django.test import Client as HttpClient
from django.urls import reverse

from audit.models import AccessEvent
from audit.services import record
from tests.accounts.helpers import password_login
from tests.personas import Cast


def test_five_failures_lock_that_account_from_that_address(cast: Cast) -> None:
    attacker = HttpClient()
    statuses = [
        password_login(attacker, "anna", "fout-fout-fout", ip="10.6.6.6").status_code
        for _ in range(5)
    ]
    assert statuses == [200, 200, 200, 200, 429]
    locked = password_login(
        attacker, "anna", ip="10.6.6.6"
    )  # even the right password now
    assert locked.status_code == 429
    assert "15 minuten geblokkeerd" in locked.content.decode()
    failures = AccessEvent.objects.filter(
        event_type="login.failed", object_id=str(cast.anna.public_id)
    )
    assert failures.count() >= 5


def test_the_real_user_elsewhere_is_not_locked_out(cast: Cast) -> None:
    attacker = HttpClient()
    for _ in range(6):
        password_login(attacker, "anna", "fout-fout-fout", ip="10.6.6.6")
    response = password_login(HttpClient(), "anna", ip="10.7.7.7")
    assert response.status_code == 302


def test_a_hundred_failures_an_hour_close_the_account_from_every_address(
    cast: Cast,
) -> None:
    for _ in range(100):  # spread over many addresses, as a botnet would
        record(
            actor=None,
            action="E",
            event_type="login.failed",
            outcome="denied",
            practice_id=cast.anna.practice_id,
            object_type="user",
            object_id=cast.anna.public_id,
        )
    response = password_login(HttpClient(), "anna", ip="10.8.8.8")
    assert response.status_code == 200  # refused, with the ordinary message
    assert "klopt niet" in response.content.decode()


def test_a_password_reset_lifts_the_lockout(cast: Cast) -> None:
    cast.anna.email = "anna@example.nl"
    cast.anna.save()
    attacker = HttpClient()
    for _ in range(6):
        password_login(attacker, "anna", "fout-fout-fout", ip="10.6.6.6")
    assert password_login(attacker, "anna", ip="10.6.6.6").status_code == 429
    HttpClient().post(reverse("accounts:password_reset"), {"email": "anna@example.nl"})
    link = re.search(r"http://testserver(\S+)", mail.outbox[0].body).group(1)
    http = HttpClient()
    form_url = http.get(link)["Location"]
    new = "een heel nieuwe lange zin voor mij"
    assert (
        http.post(form_url, {"new_password1": new, "new_password2": new}).status_code
        == 302
    )
    assert password_login(HttpClient(), "anna", new, ip="10.6.6.6").status_code == 302
