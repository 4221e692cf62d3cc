"""The two requests `load.py` starts with, in stock Django: the floor and a signed-in redirect."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path


def status(request: HttpRequest) -> HttpResponse:
    """A template, no database: as the ECD's `/status/`."""
    return render(request, "status.html")


@login_required
def start(request: HttpRequest) -> HttpResponse:
    """Loads the session and the user, then only redirects: as the ECD's `/`."""
    return redirect("/status/")


urlpatterns = [path("status/", status), path("", start)]
