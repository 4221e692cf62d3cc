"""Lockout cannot be turned against an account's owner (issue 28, ASVS 5.0 6.1.1)."""

import re

from django.core import mail
from django.test import Client as HttpClient
from django.urls import reverse

from audit.models import AccessEvent
from audit.services import record
from tests.accounts.helpers import password_login
from tests.personas import Cast


def _flood(cast: Cast, count: int) -> None:
    for _ in range(count):  # failures spread over many addresses, as a botnet would
        record(
            actor=None,
            action="E",
            event_type="login.failed",
            outcome="denied",
            practice_id=cast.anna.practice_id,
            object_type="user",
            object_id=cast.anna.public_id,
        )


def test_two_hundred_wrong_attempts_from_one_address_do_not_lock_out_the_owner(
    cast: Cast,
) -> None:
    """Attempts axes refused are logged as refused, not counted against the account, and the
    owner still signs in from another address."""
    attacker = HttpClient()
    for _ in range(200):
        password_login(attacker, "anna", "fout-fout-fout", ip="10.6.6.6")
    counted = AccessEvent.objects.filter(
        event_type="login.failed", object_id=str(cast.anna.public_id)
    ).count()
    refused = AccessEvent.objects.filter(
        event_type="login.refused", object_id=str(cast.anna.public_id)
    ).count()
    assert counted <= 5
    assert counted + refused == 200
    response = password_login(HttpClient(), "anna", ip="10.7.7.7")
    assert response.status_code == 302


def test_the_cap_never_blocks_an_address_the_owner_signed_in_from_before(
    cast: Cast,
) -> None:
    """After a botnet-sized flood the owner still gets in from a known address; a new
    address stays refused."""
    assert password_login(HttpClient(), "anna", ip="10.9.9.9").status_code == 302
    _flood(cast, 100)
    assert password_login(HttpClient(), "anna", ip="10.8.8.8").status_code == 200
    assert password_login(HttpClient(), "anna", ip="10.9.9.9").status_code == 302


def test_a_finished_password_reset_lifts_the_per_account_cap(cast: Cast) -> None:
    """The per-account count starts afresh after a password reset, from any address."""
    cast.anna.email = "anna@example.nl"
    cast.anna.save()
    _flood(cast, 100)
    assert password_login(HttpClient(), "anna", ip="10.8.8.8").status_code == 200
    HttpClient().post(reverse("accounts:password_reset"), {"email": "anna@example.nl"})
    link = re.search(r"http://testserver(\S+)", mail.outbox[0].body).group(1)
    http = HttpClient()
    form_url = http.get(link)["Location"]
    new = "een heel nieuwe lange zin voor mij"
    assert (
        http.post(form_url, {"new_password1": new, "new_password2": new}).status_code
        == 302
    )
    assert password_login(HttpClient(), "anna", new, ip="10.8.8.8").status_code == 302
