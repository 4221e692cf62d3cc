"""Work that must not be timed by the person waiting: sending e-mail after the response.

Inside a request, `after_response(task)` keeps the task until Django sends
`request_finished` (the WSGI server has written the whole response by then and closes
it), so an answer never takes longer because a mail was sent, or because there was
someone to send it to. Outside a request (a management command, a test calling a
service directly) the task runs at once.

The tasks run in the request's thread, one after the other; an error in one is logged
(its type only: no address, no content) and never reaches the server.
"""

from __future__ import annotations

import contextvars
import logging
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.signals import request_finished, request_started
from django.db import OperationalError
from django.dispatch import receiver

logger = logging.getLogger(__name__)

Task = Callable[[], None]
RETRY_PAUSES = (0.05, 0.2, 0.5, 1.0, 2.0)
_pending: contextvars.ContextVar[list[Task] | None] = contextvars.ContextVar(
    "ecd_after_response", default=None
)


def after_response(task: Task) -> None:
    """Run `task` once the current response has gone out (or now, outside a request)."""
    queue = _pending.get()
    if queue is None:
        _run(task)
    else:
        queue.append(task)


def send_after_response(subject: str, body: str, to: list[str]) -> None:
    """One plain-text e-mail, sent after the response."""
    message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, to)
    after_response(lambda: _send(message))


def _send(message: EmailMessage) -> None:
    message.send(fail_silently=False)


def _run(task: Task) -> None:
    for pause in RETRY_PAUSES:
        try:
            task()
            return
        except OperationalError:  # SQLite busy with another thread's write: try again
            time.sleep(pause)
        except Exception as exc:  # a mail outage never breaks a request or the server
            logger.warning("after-response task failed: %s", type(exc).__name__)
            return
    logger.warning("after-response task failed: database busy")


@receiver(request_started, dispatch_uid="ecd.mail.start")
def _start(sender: Any, **kwargs: Any) -> None:
    _pending.set([])


@receiver(request_finished, dispatch_uid="ecd.mail.finish")
def _finish(sender: Any, **kwargs: Any) -> None:
    queue = _pending.get()
    _pending.set(None)
    for task in queue or ():
        _run(task)
