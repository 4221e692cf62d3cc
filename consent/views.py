"""Grants to colleagues, inspector mandates and representatives, managed by the owning
zorgverlener."""

from __future__ import annotations

import contextlib
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.http import AuthenticatedHttpRequest
from accounts.roles import caregiver_required
from audit.models import Basis
from consent import invitations, services
from consent.access import representation_allowed
from consent.forms import (
    ColleagueInviteForm,
    GrantForm,
    InviteForm,
    MandateForm,
    RefusalForm,
    RepresentationForm,
)
from consent.models import AccessGrant, InspectorMandate, Representation
from dossiers.access import Access, deny, dossier_for, row_in


def _owner_access(request: HttpRequest, dossier_id: UUID) -> Access:
    """Only the owning zorgverlener manages who else has access."""
    return dossier_for(request, dossier_id, part="accessgrant", bases=(Basis.OWN,))


@caregiver_required
@require_http_methods(["GET", "POST"])
def grant_list(request: AuthenticatedHttpRequest, dossier_id: UUID) -> HttpResponse:
    access = _owner_access(request, dossier_id)
    actor = request.user
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
    request: AuthenticatedHttpRequest, dossier_id: UUID, grant_id: UUID
) -> HttpResponse:
    access = _owner_access(request, dossier_id)
    grants = AccessGrant.objects.filter(client=access.client)
    grant = row_in(request, access, grants, grant_id, part="accessgrant")
    services.grant_revoke(actor=request.user, grant=grant)
    messages.success(
        request,
        _("Toegang ingetrokken. Dit geldt vanaf het volgende verzoek van de collega."),
    )
    return redirect("consent:grant_list", dossier_id=dossier_id)


@caregiver_required
@require_http_methods(["GET", "POST"])
def mandate_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    actor = request.user
    form = MandateForm(request.POST or None, practice_id=actor.practice_id)
    if request.method == "POST" and form.is_valid():
        data = {
            name: form.cleaned_data[name]
            for name in form._meta.fields or ()
            if name != "clients"
        }
        services.mandate_create(
            actor=actor,
            username=form.cleaned_data["username"],
            name=form.cleaned_data["name"],
            email=form.cleaned_data["email"],
            data=data,
            clients=list(form.cleaned_data["clients"]),
            base_url=_base_url(request),
        )
        messages.success(request, _invited())
        return redirect("consent:mandate_list")
    mandates = InspectorMandate.objects.filter(  # type: ignore[misc]
        practice_id=actor.practice_id
    ).select_related("inspector")
    return render(
        request, "consent/mandate_list.html", {"form": form, "mandates": mandates}
    )


def _invited() -> str:
    return _(
        "Account gemaakt. De uitnodiging is per e-mail verstuurd: daarmee kiest de "
        "ontvanger zelf een wachtwoord (de link werkt één keer en hoogstens 72 uur)."
    )


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


@caregiver_required
@require_POST
def mandate_invite(request: AuthenticatedHttpRequest, mandate_id: UUID) -> HttpResponse:
    """Send an inspector who has not chosen a password yet a new invitation."""
    actor = request.user
    mandate = (
        InspectorMandate.objects.filter(pk=mandate_id, practice=actor.practice)
        .select_related("inspector")
        .first()
    )
    if mandate is None:
        raise deny(
            request,
            client=None,
            part="inspectormandate",
            object_id=mandate_id,
            write=True,
        )
    services.mandate_invite(actor=actor, mandate=mandate, base_url=_base_url(request))
    messages.success(
        request,
        _(
            "Als de inspecteur nog geen wachtwoord heeft en het mandaat nog loopt, is er "
            "een nieuwe uitnodiging verstuurd. Eerdere links werken niet meer."
        ),
    )
    return redirect("consent:mandate_list")


@caregiver_required
@require_http_methods(["GET", "POST"])
def colleague_invite(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ColleagueInviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        colleague = services.colleague_invite(
            actor=request.user,
            base_url=_base_url(request),
            **form.cleaned_data,
        )
        messages.success(request, _invited())
        messages.info(
            request,
            _(
                "U kunt %(name)s nu toegang geven tot een dossier met de gebruikersnaam "
                "%(username)s, als de cliënt daar toestemming voor geeft."
            )
            % {"name": colleague.display_name, "username": colleague.username},
        )
        return redirect("consent:colleague_invite")
    return render(request, "consent/colleague_invite.html", {"form": form})


def _representation_access(request: HttpRequest, dossier_id: UUID) -> Access:
    """Only the owning zorgverlener registers representatives; allowed on a restricted
    dossier too (a representative exercises the client's rights, AVG art. 18 lid 2)."""
    return dossier_for(request, dossier_id, part="representation", bases=(Basis.OWN,))


def _representation(
    request: HttpRequest, dossier_id: UUID, representation_id: UUID
) -> tuple[Access, Representation]:
    access = _representation_access(request, dossier_id)
    rows = Representation.objects.filter(client=access.client)
    return access, row_in(
        request, access, rows, representation_id, part="representation"
    )


@caregiver_required
@require_http_methods(["GET", "POST"])
def representation_list(
    request: AuthenticatedHttpRequest, dossier_id: UUID
) -> HttpResponse:
    """Who acts for the client (WGBO 7:465): register, invite, end, refuse."""
    access = _representation_access(request, dossier_id)
    form = RepresentationForm(request.POST or None, client=access.client)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form._meta.fields or ()}
        try:
            services.representation_create(
                actor=request.user, client=access.client, data=data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _(
                    "Vertegenwoordiger vastgelegd. Nodig hem of haar nu uit voor het portaal."
                ),
            )
            return redirect("consent:representation_list", dossier_id=dossier_id)
    rows = Representation.objects.filter(client=access.client).select_related("user")
    context = {
        "form": form,
        "representations": [
            (r, representation_allowed(r, access.client)) for r in rows
        ],
        "client": access.client,
        "dossier": access.dossier,
    }
    return render(request, "consent/representation_list.html", context)


@caregiver_required
@require_POST
def representation_end(
    request: AuthenticatedHttpRequest, dossier_id: UUID, representation_id: UUID
) -> HttpResponse:
    _access, representation = _representation(request, dossier_id, representation_id)
    services.representation_end(actor=request.user, representation=representation)
    messages.success(request, _("De vertegenwoordiging is beëindigd."))
    return redirect("consent:representation_list", dossier_id=dossier_id)


@caregiver_required
@require_http_methods(["GET", "POST"])
def representation_refusal(
    request: AuthenticatedHttpRequest, dossier_id: UUID, representation_id: UUID
) -> HttpResponse:
    """WGBO 7:457: the parents' access to the record of a child of 12 to 15 refused."""
    access, representation = _representation(request, dossier_id, representation_id)
    form = RefusalForm(
        request.POST or None,
        initial={
            "refused": representation.refused_at is not None,
            "reason": representation.refusal_reason,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.representation_refuse(
                actor=request.user,
                representation=representation,
                refused=form.cleaned_data["refused"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Vastgelegd."))
            return redirect("consent:representation_list", dossier_id=dossier_id)
    context = {
        "form": form,
        "representation": representation,
        "client": access.client,
        "dossier": access.dossier,
        "title": _("Toegang van een ouder of voogd weigeren"),
    }
    return render(request, "consent/representation_refusal.html", context)


@caregiver_required
@require_http_methods(["GET", "POST"])
def representation_invite(
    request: AuthenticatedHttpRequest, dossier_id: UUID, representation_id: UUID
) -> HttpResponse:
    """Invite the representative like a client: an account of their own, with their own
    password and second factor (`consent.invitations`). The link goes by e-mail only:
    whoever holds it chooses the password, so the zorgverlener never sees it."""
    access, representation = _representation(request, dossier_id, representation_id)
    form = InviteForm(
        request.POST or None, label=_("e-mailadres van de vertegenwoordiger")
    )
    # No form when the representative has an account already, or no longer acts.
    open_ = representation.user_id is None and representation.ended_at is None
    if open_ and request.method == "POST" and form.is_valid():
        # Over the hourly limit nothing is sent (logged); the answer is the same.
        with contextlib.suppress(invitations.InvitationLimited):
            invitations.create(
                actor=request.user,
                client=access.client,
                email=form.cleaned_data["email"],
                base_url=_base_url(request),
                representation=representation,
            )
        messages.success(
            request,
            _(
                "De uitnodiging is per e-mail verstuurd: daarmee kiest de vertegenwoordiger "
                "zelf een wachtwoord (de link werkt één keer en hoogstens 72 uur)."
            ),
        )
        return redirect("consent:representation_list", dossier_id=dossier_id)
    context = {
        "form": form if open_ else None,
        "client": access.client,
        "representation": representation,
        "title": _("Vertegenwoordiger uitnodigen voor het portaal"),
    }
    return render(request, "consent/representation_invite.html", context)
