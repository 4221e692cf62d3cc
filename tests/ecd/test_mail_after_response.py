"""ecd.mail: inside a request, work waits until the response has gone out; outside one it
runs at once; a failing task never reaches the server and hides nothing after it."""

import logging

from django.core import mail
from django.core.signals import request_finished, request_started

from ecd.mail import after_response, send_after_response


def test_inside_a_request_tasks_wait_for_the_response_to_finish() -> None:
    ran: list[str] = []
    request_started.send(sender=None, environ={})
    after_response(lambda: ran.append("one"))
    send_after_response("Onderwerp", "Tekst", ["iemand@example.nl"])
    assert ran == [] and mail.outbox == []
    request_finished.send(sender=None)
    assert ran == ["one"]
    assert [m.to for m in mail.outbox] == [["iemand@example.nl"]]
    after_response(lambda: ran.append("two"))  # no request any more: at once
    assert ran == ["one", "two"]


def test_outside_a_request_a_mail_goes_at_once() -> None:
    send_after_response("Onderwerp", "Tekst", ["iemand@example.nl"])
    assert len(mail.outbox) == 1


def test_a_failing_task_is_logged_by_type_and_the_next_still_runs(caplog) -> None:
    ran: list[str] = []

    def broken() -> None:
        raise ConnectionRefusedError("smtp.example.nl: iemand@example.nl")

    request_started.send(sender=None, environ={})
    after_response(broken)
    after_response(lambda: ran.append("next"))
    with caplog.at_level(logging.WARNING, logger="ecd.mail"):
        request_finished.send(sender=None)
    assert ran == ["next"]
    assert "ConnectionRefusedError" in caplog.text
    assert "iemand@example.nl" not in caplog.text


def test_the_test_client_sees_mail_sent_after_its_response(cast) -> None:
    from django.test import Client as HttpClient
    from django.urls import reverse

    cast.anna.email = "anna@example.nl"
    cast.anna.save()
    response = HttpClient().post(
        reverse("accounts:password_reset"), {"email": "anna@example.nl"}
    )
    assert response.status_code == 302
    assert len(mail.outbox) == 1  # sent when the response was closed
