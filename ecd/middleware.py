from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers, patch_vary_headers

from ecd.errors import method_not_allowed


class SecurityHeadersMiddleware:
    """Headers Django's SecurityMiddleware does not set, and no caching of any page.

    Every page may show client data once someone is signed in, so nothing is cached
    anywhere (only the static files under /static/ are).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response["Permissions-Policy"] = settings.PERMISSIONS_POLICY
        response.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        response.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        if not request.path.startswith("/" + settings.STATIC_URL.lstrip("/")):
            add_never_cache_headers(response)
            response["Cache-Control"] = "no-store, private, max-age=0"
            patch_vary_headers(response, ("Cookie",))
        return response


class MethodNotAllowedPageMiddleware:
    """Django answers a wrong method (a link to a POST-only action) with an empty 405;
    a person gets a Dutch page with a way back instead."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code == 405 and not response.content:
            return method_not_allowed(request, response.get("Allow", ""))
        return response
