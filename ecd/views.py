"""Project-level views that belong to no app."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET


@login_not_required
@require_GET
def status(request: HttpRequest) -> HttpResponse:
    """Liveness for a proxy or monitor, and the benchmarks' floor: a template, no database."""
    return render(request, "status.html")
