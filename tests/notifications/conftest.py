"""A real SMTP server (aiosmtpd) on a free port, and the people of tests.personas with
e-mail addresses."""

from __future__ import annotations

import contextlib
import email
import logging
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from notifications.sender import sender
from tests.personas import Cast

ADDRESSES = {
    "anna": "anna@praktijk-anna.example",
    "bram": "bram.dalen@example.nl",
    "dirk": "dirk@praktijk-dirk.example",
}


def eventually(check: Callable[[], bool], within: float = 10.0) -> bool:
    """Whether `check` holds within the time (for what the background thread does)."""
    deadline = time.monotonic() + within
    while not check():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Inbox:
    """aiosmtpd's handler: keeps every message it accepted."""

    messages: list[EmailMessage] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        message["X-Envelope-To"] = ",".join(envelope.rcpt_tos)
        self.messages.append(message)  # type: ignore[arg-type]
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["X-Envelope-To"] == address]

    def wait_for(self, count: int, within: float = 10.0) -> list[EmailMessage]:
        deadline = time.monotonic() + within
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.messages


class SmtpServer:
    """Started and stopped at will, always on the same port (the ECD's EMAIL_PORT)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.inbox = Inbox()
        self._controller: Controller | None = None

    def start(self) -> None:
        self._controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None


@pytest.fixture
def smtp(settings) -> Iterator[SmtpServer]:
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd's chatter
    server = SmtpServer(free_port())
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
    settings.EMAIL_TIMEOUT = 3
    settings.ECD_SITE_URL = "https://ecd.example.nl"
    server.start()
    yield server
    server.stop()


def give_addresses(cast: Cast) -> Cast:
    for name, address in ADDRESSES.items():
        user = getattr(cast, name)
        user.contact_email = address
        user.save()
    return cast


@pytest.fixture
def people(cast: Cast) -> Cast:
    return give_addresses(cast)


class Tarpit:
    """Accepts SMTP connections and never answers: a mail server that hangs."""

    def __init__(self) -> None:
        self._socket = socket.socket()
        self._socket.bind(("127.0.0.1", 0))
        self._socket.listen(16)
        self.port = self._socket.getsockname()[1]
        self.connections: list[float] = []
        self._held: list[socket.socket] = []
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self._socket.accept()
            except OSError:
                return
            self.connections.append(time.monotonic())
            self._held.append(conn)

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self._socket.shutdown(socket.SHUT_RDWR)  # wakes the blocked accept()
        self._socket.close()
        for conn in self._held:
            conn.close()


@pytest.fixture
def tarpit() -> Iterator[Tarpit]:
    pit = Tarpit()
    yield pit
    pit.close()


@pytest.fixture
def in_process_sender(committed_db, settings) -> Iterator[Any]:
    """The background sender on, with real commits; stopped before the database is flushed."""
    settings.ECD_NOTIFY_IN_PROCESS = True
    yield sender
    sender.stop()
    assert not sender.running
