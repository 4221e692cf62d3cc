"""Generic error pages: a correlation id, never a traceback, a path or health data."""

from __future__ import annotations

import sys
from typing import Any

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template import loader

from dossiers.access import DossierRestricted


def _page(request: HttpRequest, status: int, title: str, text: str) -> HttpResponse:
    context = {
        "status": status,
        "title": title,
        "text": text,
        "request_id": getattr(request, "request_id", ""),
    }
    body: str
    try:
        body = loader.render_to_string("error.html", context)
    except Exception:  # the error page itself must never fail
        body = f"<!doctype html><title>{status}</title><h1>{status}</h1>"
    return HttpResponse(body, status=status)


def not_found(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return _page(
        request,
        404,
        "Niet gevonden",
        "Deze pagina bestaat niet, of u heeft er geen toegang toe.",
    )


def forbidden(request: HttpRequest, exception: Any = None) -> HttpResponse:
    if isinstance(exception, DossierRestricted):
        return _page(
            request,
            403,
            "Dossier beperkt",
            "De verwerking van dit dossier is beperkt (AVG art. 18): het kan worden ingezien maar niet gewijzigd.",
        )
    return _page(
        request, 403, "Geen toegang", "U heeft geen toestemming voor deze handeling."
    )


def bad_request(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return _page(
        request,
        400,
        "Ongeldig verzoek",
        "Het verzoek kon niet worden verwerkt. Probeer het opnieuw.",
    )


def server_error(request: HttpRequest) -> HttpResponse:
    """Django calls this inside its `except` block, so the exception is still at hand."""
    if isinstance(sys.exc_info()[1], (OperationalError, InterfaceError)):
        return unavailable(request)
    return _page(
        request,
        500,
        "Er ging iets mis",
        "Er is een fout opgetreden. Er is niets van uw invoer getoond of gedeeld.",
    )


def unavailable(request: HttpRequest) -> HttpResponse:
    """The database is unreachable: say so, serve nothing from any cache, ask to retry."""
    response = _page(
        request,
        503,
        "Tijdelijk niet beschikbaar",
        "Het dossier is even niet bereikbaar. Er is niets verloren gegaan; probeer het over een minuut opnieuw.",
    )
    response["Retry-After"] = "30"
    response["Cache-Control"] = "no-store"
    return response


def method_not_allowed(request: HttpRequest, allowed: str) -> HttpResponse:
    response = _page(
        request,
        405,
        "Dit kan zo niet",
        "Deze pagina werkt alleen via de knop op de pagina ervoor. Ga terug en probeer het "
        "daar opnieuw.",
    )
    response["Allow"] = allowed
    return response
