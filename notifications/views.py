"""The preferences page: the client's in the portal, the zorgverlener's in their account."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.http import AuthenticatedHttpRequest
from accounts.models import Role
from accounts.roles import caregiver_required, roles_required
from notifications import services
from notifications.forms import PreferencesForm
from notifications.models import MANDATORY, Kind


@roles_required(Role.CLIENT)
@require_http_methods(["GET", "POST"])
def portal_preferences(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _preferences(request, "notifications:portal_preferences")


@caregiver_required
@require_http_methods(["GET", "POST"])
def account_preferences(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _preferences(request, "notifications:account_preferences")


def _preferences(request: AuthenticatedHttpRequest, here: str) -> HttpResponse:
    user = request.user
    kinds = services.kinds_for(user)
    # An empty POST is a choice too (every box unticked): bind it all the same.
    data = request.POST if request.method == "POST" else None
    form = PreferencesForm(data, kinds=kinds, off=services.turned_off(user))
    if request.method == "POST" and form.is_valid():
        services.preferences_save(user=user, wanted=form.wanted())
        messages.success(request, _("Uw keuze voor e-mails is bewaard."))
        return redirect(here)
    mandatory = [Kind(k).label for k in kinds if k in MANDATORY]
    return render(
        request,
        "notifications/preferences.html",
        {
            "form": form,
            "mandatory": mandatory,
            "has_address": "@" in user.contact_email,
            "title": _("Meldingen per e-mail"),
        },
    )
