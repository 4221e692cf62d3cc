from __future__ import annotations

import ipaddress
import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from audit.context import RequestContext, current


def client_ip(request: HttpRequest) -> str | None:
    raw = request.META.get("REMOTE_ADDR") or ""
    try:
        return str(ipaddress.ip_address(raw))
    except ValueError:
        return None


def shows_a_page(response: HttpResponse) -> bool:
    """Whether a response to a write shows content (a form again, a conflict page, a
    preview): anything but a redirect or an error page without the record."""
    status = response.status_code
    return 200 <= status < 300 or status in (400, 409, 422)


def log_pending_reads(request: HttpRequest, response: HttpResponse) -> None:
    """The reads `dossiers.access.log_read_shown` kept for a non-GET request: logged when
    the response shows a page, so no method shows dossier data without a read event."""
    pending = request.__dict__.pop("pending_reads", [])
    if pending and shows_a_page(response):
        for log in pending:
            log()


class RequestContextMiddleware:
    """Gives every request an id (X-Request-ID) and remembers its source address."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
        token = current.set(
            RequestContext(request_id=request_id, source_ip=client_ip(request))
        )
        try:
            response = self.get_response(request)
            log_pending_reads(request, response)
        finally:
            current.reset(token)
        response["X-Request-ID"] = request_id
        return response
