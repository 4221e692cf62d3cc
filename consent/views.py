"""Grants to colleagues and inspector mandates, managed by the owning zorgverlener."""

from __future__ import annotations

from typing import cast
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import User
from accounts.roles import caregiver_required
from audit.models import Basis
from consent import services
from consent.forms import GrantForm, MandateForm
from consent.models import AccessGrant, InspectorMandate
from dossiers.access import Access, dossier_for, row_in


def _owner_access(request: HttpRequest, dossier_id: UUID) -> Access:
    """Only the owning zorgverlener manages who else has access."""
    return dossier_for(request, dossier_id, part="accessgrant", bases=(Basis.OWN,))


@caregiver_required
@require_http_methods(["GET", "POST"])
def grant_list(request: HttpRequest, dossier_id: UUID) -> HttpResponse:
    access = _owner_access(request, dossier_id)
    actor = cast(User, request.user)
    form = GrantForm(request.POST or None, practice_id=actor.practice_id)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form._meta.fields or ()}
        try:
            services.grant_create(
                actor=actor,
                client=access.client,
                colleague=form.cleaned_data["colleague_ref"],
                data=data,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Toegang gegeven."))
            return redirect("consent:grant_list", dossier_id=dossier_id)
    grants = AccessGrant.objects.filter(client=access.client).select_related(
        "colleague"
    )
    context = {
        "form": form,
        "grants": grants,
        "client": access.client,
        "dossier": access.dossier,
    }
    return render(request, "consent/grant_list.html", context)


@caregiver_required
@require_POST
def grant_revoke(
    request: HttpRequest, dossier_id: UUID, grant_id: UUID
) -> HttpResponse:
    access = _owner_access(request, dossier_id)
    grants = AccessGrant.objects.filter(client=access.client)
    grant = row_in(request, access, grants, grant_id, part="accessgrant")
    services.grant_revoke(actor=cast(User, request.user), grant=grant)
    messages.success(
        request,
        _("Toegang ingetrokken. Dit geldt vanaf het volgende verzoek van de collega."),
    )
    return redirect("consent:grant_list", dossier_id=dossier_id)


@caregiver_required
@require_http_methods(["GET", "POST"])
def mandate_list(request: HttpRequest) -> HttpResponse:
    actor = cast(User, request.user)
    form = MandateForm(request.POST or None, practice_id=actor.practice_id)
    password = None
    if request.method == "POST" and form.is_valid():
        data = {
            name: form.cleaned_data[name]
            for name in form._meta.fields or ()
            if name != "clients"
        }
        _mandate, password = services.mandate_create(
            actor=actor,
            username=form.cleaned_data["username"],
            name=form.cleaned_data["name"],
            email=form.cleaned_data["email"],
            data=data,
            clients=list(form.cleaned_data["clients"]),
        )
        messages.success(request, _("Account voor de inspecteur aangemaakt."))
        form = MandateForm(practice_id=actor.practice_id)
    mandates = InspectorMandate.objects.filter(  # type: ignore[misc]
        practice_id=actor.practice_id
    ).select_related("inspector")
    return render(
        request,
        "consent/mandate_list.html",
        {"form": form, "mandates": mandates, "password": password},
    )
