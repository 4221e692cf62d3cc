"""Retention, restriction, correction history and the two-step destruction."""

from __future__ import annotations

import json
from typing import Any, cast
from uuid import UUID

from django.contrib import messages
from django.core import signing
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.http import AuthenticatedHttpRequest
from accounts.roles import caregiver_required
from audit.models import Basis, EventType
from dossiers import lifecycle
from dossiers.access import dossier_for, log_list, row_in
from dossiers.entries import EntryKind
from dossiers.lifecycle_forms import (
    DestroyForm,
    RestrictionAction,
    RestrictionForm,
    RetentionForm,
)
from dossiers.models import Client, DestructionRecord, Dossier, Revision
from keystore import crypto

SALT = "dossiers.destroy"


@caregiver_required
@require_GET
def retention_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    dossiers = lifecycle.due_for_review(user.practice_id)
    crypto.load_data_keys(d.key_ref for d in dossiers)  # names are encrypted (#26)
    log_list(
        request,
        part="dossier",
        count=len(dossiers),
        event_type=EventType.RETENTION_LIST,
    )
    return render(request, "dossiers/retention_list.html", {"dossiers": dossiers})


@require_http_methods(["GET", "POST"])
def retention_extend(request: HttpRequest, dossier_id: UUID) -> HttpResponse:
    access = dossier_for(request, dossier_id, part="retention", bases=(Basis.OWN,))
    form = RetentionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            lifecycle.retention_extend(
                access=access,
                actor=request.user,
                until=form.cleaned_data["until"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("De bewaartermijn is verlengd."))
            return redirect("dossiers:dossier_detail", dossier_id=dossier_id)
    context = {
        "form": form,
        "dossier": access.dossier,
        "client": access.client,
        "title": _("Bewaartermijn"),
    }
    return render(request, "dossiers/lifecycle_form.html", context)


@require_http_methods(["GET", "POST"])
def restriction(request: HttpRequest, dossier_id: UUID) -> HttpResponse:
    """Restrict or lift: the form says which; asking again for the current state is a no-op."""
    # Long because setting and lifting a restriction share one screen and one form.
    access = dossier_for(request, dossier_id, part="restriction", bases=(Basis.OWN,))
    restricted = access.dossier.is_restricted
    offered = RestrictionAction.LIFT if restricted else RestrictionAction.RESTRICT
    form = RestrictionForm(request.POST or None, initial={"action": offered})
    if request.method == "POST" and form.is_valid():
        wanted = form.cleaned_data["action"] == RestrictionAction.RESTRICT
        if wanted == restricted:
            messages.info(
                request,
                _("De verwerking was al beperkt; er is niets veranderd.")
                if restricted
                else _("De beperking was al opgeheven; er is niets veranderd."),
            )
        else:
            lifecycle.restriction_set(
                access=access,
                actor=request.user,
                restricted=wanted,
                reason=form.cleaned_data["reason"],
            )
            messages.success(
                request,
                _("Verwerking beperkt.") if wanted else _("Beperking opgeheven."),
            )
        return redirect("dossiers:dossier_detail", dossier_id=dossier_id)
    title = (
        _("Beperking opheffen")
        if restricted
        else _("Verwerking beperken (AVG art. 18)")
    )
    context = {
        "form": form,
        "dossier": access.dossier,
        "client": access.client,
        "title": title,
        # the button says which state it asks for, never "toggle"
        "submit_label": _("Beperking opheffen")
        if restricted
        else _("Verwerking beperken"),
    }
    return render(request, "dossiers/lifecycle_form.html", context)


@require_GET
def entry_history(
    request: HttpRequest, dossier_id: UUID, kind: EntryKind, entry_id: UUID
) -> HttpResponse:
    part = kind.model.__name__.lower()
    access = dossier_for(
        request,
        dossier_id,
        part=f"{part}.history",
        object_id=entry_id,
        bases=(Basis.OWN,),
    )
    entry = row_in(
        request,
        access,
        kind.model._default_manager.filter(dossier_id=access.dossier.pk),
        entry_id,
        part=part,
    )
    context = {
        "entry": entry,
        "current": _current(entry),
        "revisions": _revisions([entry.pk], kind.model),
        "dossier": access.dossier,
        "client": access.client,
        "kind": kind,
    }
    return render(request, "dossiers/entry_history.html", context)


@require_GET
def dossier_history(request: HttpRequest, dossier_id: UUID) -> HttpResponse:
    """Earlier versions of the dossier's own fields, the client's details and lifted restrictions."""
    access = dossier_for(
        request, dossier_id, part="dossier.history", bases=(Basis.OWN,)
    )
    context = {
        "current": _current(access.dossier),
        "revisions": _revisions([access.dossier.pk, access.client.pk], Dossier, Client),
        "dossier": access.dossier,
        "client": access.client,
    }
    return render(request, "dossiers/entry_history.html", context)


def _current(obj: Model) -> list[tuple[str, Any]]:
    """The clinical text as it is now, to read beside the earlier versions."""
    return [
        (
            str(getattr(obj._meta.get_field(name), "verbose_name", name)),
            getattr(obj, name),
        )
        for name in getattr(obj, "ENCRYPTED", ())
    ]


def _revisions(
    object_ids: list[Any], *models: type[Model]
) -> list[tuple[Revision, list[tuple[str, Any]]]]:
    """Each revision with its old values under the fields' Dutch labels."""
    labels: dict[str, str] = {
        "restricted_at": str(_("verwerking beperkt sinds")),
        "restriction_reason": str(_("reden van de beperking")),
    }
    for model in models:
        for field in model._meta.get_fields():
            if hasattr(field, "verbose_name"):
                labels.setdefault(field.name, str(field.verbose_name))
    rows = Revision.objects.filter(object_id__in=object_ids).select_related(
        "changed_by"
    )
    return [
        (r, [(labels.get(k, k), v) for k, v in json.loads(r.old_values).items()])
        for r in rows.order_by("-changed_at")
    ]


@require_http_methods(["GET", "POST"])
def destroy(request: HttpRequest, dossier_id: UUID) -> HttpResponse:
    """Step 1 checks the ground and the typed confirmation; step 2 (a signed, short-lived token) destroys."""
    # Long because the two-step decision (form, confirmation, destruction) is one screen.
    access = dossier_for(request, dossier_id, part="destruction", bases=(Basis.OWN,))
    form = DestroyForm(request.POST or None, client=access.client)
    context = {"dossier": access.dossier, "client": access.client, "form": form}
    if request.method == "POST" and "token" in request.POST:
        try:
            data = signing.loads(request.POST["token"], salt=SALT, max_age=600)
        except signing.BadSignature:
            error = _("De bevestiging is verlopen. Begin opnieuw.")
            return render(request, "dossiers/destroy.html", {**context, "error": error})
        try:
            if data["dossier"] != str(dossier_id):
                raise ValidationError(
                    _("Deze bevestiging hoort bij een ander dossier.")
                )
            lifecycle.dossier_destroy(
                access=access,
                actor=request.user,
                ground=data["ground"],
                note=data["note"],
                request_ref=data["request"],
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
            return render(request, "dossiers/destroy.html", {**context, "error": error})
        messages.success(
            request, _("Het dossier is vernietigd. De vernietiging zelf is vastgelegd.")
        )
        return redirect("dossiers:destruction_list")
    if request.method == "POST" and form.is_valid():
        ref = form.cleaned_data["request_ref"]
        token = signing.dumps(
            {
                "dossier": str(dossier_id),
                "ground": form.cleaned_data["ground"],
                "note": form.cleaned_data["note"],
                "request": str(ref.pk) if ref else None,
            },
            salt=SALT,
        )
        return render(
            request, "dossiers/destroy_confirm.html", {**context, "token": token}
        )
    return render(request, "dossiers/destroy.html", context)


@caregiver_required
@require_GET
def destruction_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    records = DestructionRecord.objects.filter(
        practice_id=cast(UUID, user.practice_id)
    ).select_related("destroyed_by")
    return render(request, "dossiers/destruction_list.html", {"records": records})
