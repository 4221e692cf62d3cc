"""The request that causes a notification never talks to the mail server: with a server
that is down, or one that accepts and then hangs, the request answers as fast as ever and
the mail follows later from the background sender."""

from __future__ import annotations

import time

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from notifications.models import Notification, Status
from tests.notifications.conftest import ADDRESSES, eventually, give_addresses
from tests.personas import make_cast, verified_login

FAST = 1.5  # seconds; the hanging server below would hold a connecting request 4 s


def file_request(http: HttpClient) -> float:
    started = time.monotonic()
    response = http.post(
        reverse("portal:requests"), {"kind": "bezwaar", "reason": "waarom"}
    )
    took = time.monotonic() - started
    assert response.status_code == 302
    return took


def test_filing_with_the_server_down_succeeds_and_the_mail_waits(
    people, smtp, client
) -> None:
    smtp.stop()
    took = file_request(verified_login(client, people.bram))
    assert took < FAST
    assert Notification.objects.get().status == Status.PENDING
    assert Notification.objects.get().attempts == 0  # the request did not try


@pytest.mark.postgres
def test_a_hanging_server_holds_up_the_sender_not_the_request(
    in_process_sender, smtp, tarpit, settings
) -> None:
    """Real commits, the background sender on. The first server accepts connections and
    never answers: the request still answers at once; the sender's attempt times out and
    waits. Then the real server is back, and the mail arrives."""
    settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = tarpit.port, 4
    cast = give_addresses(make_cast())
    http = verified_login(HttpClient(), cast.bram)
    took = file_request(http)
    assert took < FAST
    # the sender, woken after the response, connects to the hanging server …
    assert eventually(lambda: bool(tarpit.connections)), "the sender never tried"
    # … and gives up after EMAIL_TIMEOUT, leaving the mail to wait for the next attempt
    assert eventually(lambda: Notification.objects.get().attempts == 1)
    row = Notification.objects.get()
    assert (row.status, row.attempts) == (Status.PENDING, 1)
    # the sender was held for the whole timeout, the request was not
    assert time.monotonic() - tarpit.connections[0] >= 3.5 > took
    # the real server is back: the next attempt (made due now) delivers
    settings.EMAIL_PORT = smtp.port
    Notification.objects.update(next_attempt_at=row.created_at)
    in_process_sender.wake()
    (mail,) = smtp.inbox.wait_for(1)
    assert mail["X-Envelope-To"] == ADDRESSES["anna"]
    # a second request while the sender works: still immediate
    assert file_request(http) < FAST
