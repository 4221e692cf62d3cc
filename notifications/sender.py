"""The in-process sender: a daemon thread per process that delivers the outbox, so `make run`
(and each gunicorn worker) sends mail without an extra process.

A notification queued during a request wakes the thread only once that request's response
is finished (`request_finished`); one queued elsewhere (the export worker, a command) wakes
it when its transaction commits. The thread also looks every `POLL_SECONDS` for rows other
processes queued and for retries that fell due. The request thread itself never connects
to a mail server. Off with ECD_NOTIFY_IN_PROCESS=false (then cron runs send_notifications).
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from django.conf import settings
from django.db import close_old_connections, connections

from notifications.delivery import deliver_due, next_due_in

log = logging.getLogger(__name__)

POLL_SECONDS = 60.0

_request = threading.local()  # per request thread: in a request? something queued?


def request_started(**_: Any) -> None:
    _request.active, _request.queued = True, False


def request_finished(**_: Any) -> None:
    queued = getattr(_request, "queued", False)
    _request.active, _request.queued = False, False
    if queued:
        wake()


def after_commit() -> None:
    """`transaction.on_commit` of every queued notification."""
    if getattr(_request, "active", False):
        _request.queued = True  # woken by request_finished, after the response
    else:
        wake()


class Sender:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def wake(self) -> None:
        if not settings.ECD_NOTIFY_IN_PROCESS:
            return
        with self._lock:
            if not self.running:
                self._stop.clear()
                self._thread = threading.Thread(
                    target=self._run, name="ecd-notifications", daemon=True
                )
                self._thread.start()
        self._wake.set()

    def stop(self, timeout: float = 10.0) -> None:
        """Stop the thread (tests; a process that exits may simply leave it)."""
        self._stop.set()
        self._wake.set()
        thread = self._thread
        if thread is not None:
            thread.join(timeout)

    def _run(self) -> None:

        try:
            while not self._stop.is_set():
                self._wake.clear()
                pause = POLL_SECONDS
                try:
                    close_old_connections()  # a connection too old or broken is replaced
                    deliver_due()
                    pause = next_due_in(cap=POLL_SECONDS)
                except Exception:  # the database away, say: try again later
                    log.exception("meldingen: bezorgen mislukt, nieuwe poging later")
                    connections.close_all()
                self._wake.wait(max(pause, 1.0))
        finally:
            connections.close_all()  # this thread's own connections


sender = Sender()


def wake() -> None:
    sender.wake()
