"""Sends a portal user who may act for several clients, and has not chosen yet, to the
choice page (`dossiers.access.own_record_for` raises ChoiceNeeded)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from dossiers.access import ChoiceNeeded


class ChooseClientMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(
        self, request: HttpRequest, exception: Exception
    ) -> HttpResponse | None:
        if isinstance(exception, ChoiceNeeded):
            return redirect("portal:choose")
        return None
