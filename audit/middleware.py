from __future__ import annotations

import ipaddress
import uuid
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from audit.context import RequestContext, current


def _address(raw: str) -> str | None:
    try:
        return str(ipaddress.ip_address(raw.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str | None:
    """The client's address, for the access log, the session list and django-axes alike.

    Only a request that comes straight from a trusted proxy (`ECD_TRUSTED_PROXIES`, the
    shipped nginx) may name another address, in X-Real-IP, which nginx sets to the address
    it saw itself (overwriting whatever the client sent). From anywhere else X-Real-IP and
    X-Forwarded-For are ignored, so a spoofed header changes nothing."""
    direct = _address(request.META.get("REMOTE_ADDR") or "")
    if direct is not None and direct in settings.ECD_TRUSTED_PROXIES:
        forwarded = _address(request.META.get("HTTP_X_REAL_IP") or "")
        if forwarded is not None:
            return forwarded
    return direct


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
        finally:
            current.reset(token)
        response["X-Request-ID"] = request_id
        return response
