"""The zorgverlener's screens. Every object comes through dossiers.access; every write through services."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.paginator import Paginator
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_http_methods

from accounts.http import AuthenticatedHttpRequest
from accounts.middleware import changes_nothing
from accounts.models import Role
from accounts.roles import caregiver_required, roles_required
from audit.models import Action, Basis, EventType, Outcome
from dossiers import page_cache, services
from dossiers.access import (
    Access,
    client_for,
    clients_visible_to,
    dossier_for,
    log_list,
    record_access,
    row_in,
)
from dossiers.clients import LISTED_FIELDS, clients_in_order, clients_matching
from dossiers.entries import EntryKind
from dossiers.forms import AttachmentForm, ClientForm, ClientSearchForm, DossierForm
from dossiers.models import (
    Attachment,
)
from dossiers.selectors import dossier_page


def _conflict(form: BaseForm, exc: services.ConflictError) -> None:
    """Keep the user's input, show what is stored now, and let them save again knowingly."""
    data = form.data.copy()  # type: ignore[attr-defined]
    data["version"] = str(exc.current.version)  # type: ignore[attr-defined]
    form.data = data
    form.add_error(
        None,
        _(
            "Dit onderdeel is intussen door iemand anders gewijzigd. Uw invoer staat hieronder, "
            "de opgeslagen versie daaronder. Controleer en sla opnieuw op."
        ),
    )
    form.conflict_pairs = [  # type: ignore[attr-defined]
        (field.label, _stored_value(exc.current, field.name))
        for field in form.visible_fields()
    ]


def _stored_value(obj: Any, name: str) -> str:
    display = getattr(obj, f"get_{name}_display", None)
    if display is not None:
        return str(display())
    value = getattr(obj, name, "")
    if hasattr(value, "all"):
        return ", ".join(
            str(getattr(v, "title", "") or getattr(v, "description", ""))
            for v in value.all()
        )
    return "" if value is None else str(value)


@changes_nothing
@roles_required(Role.CAREGIVER, Role.INSPECTOR)
@require_http_methods(["GET", "POST"])
def client_list(request: HttpRequest) -> HttpResponse:
    # Only what the list shows: every visible client is decrypted and sorted in memory.
    visible = (
        clients_visible_to(request.user)
        .select_related("dossier")
        .only(*LISTED_FIELDS, "dossier__id")
    )
    form = ClientSearchForm(request.POST or None)
    searched = False
    if request.method == "POST" and form.is_valid():
        # Search terms travel in the POST body, never in the URL.
        searched = True
        clients = clients_matching(
            visible,
            name=form.cleaned_data.get("name") or "",
            born=form.cleaned_data.get("date_of_birth"),
        )
    else:
        clients = clients_in_order(visible)
    page = Paginator(clients, 50).get_page(request.GET.get("pagina"))
    log_list(
        request,
        part="client",
        count=page.paginator.count,
        event_type=EventType.CLIENT_SEARCH if searched else EventType.CLIENT_LIST,
        fields=[
            k
            for k in ("name", "date_of_birth")
            if searched and form.cleaned_data.get(k)
        ],
        searched=searched,
    )
    return render(
        request,
        "dossiers/client_list.html",
        {"page": page, "form": form, "searched": searched},
    )


@caregiver_required
@sensitive_post_parameters("bsn", "id_document_number")
@require_http_methods(["GET", "POST"])
def client_create(request: HttpRequest) -> HttpResponse:
    form = ClientForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            client = services.client_register(
                actor=request.user, data=form.data_for_service()
            )
        except services.DuplicateBsnError:
            form.add_error(
                "bsn", _("Er staat al een cliënt met dit BSN in uw praktijk.")
            )
        else:
            messages.success(request, _("Cliënt geregistreerd. Open nu het dossier."))
            return redirect("dossiers:dossier_create", client_id=client.pk)
    return render(
        request,
        "dossiers/client_form.html",
        {"form": form, "title": _("Cliënt registreren")},
    )


NEUTRAL_BSN_MESSAGE = _lazy(
    "Het BSN kan alleen door de praktijk van de cliënt worden gewijzigd. "
    "Er is niets opgeslagen; neem contact op met die praktijk."
)


def _log_bsn_refused(request: HttpRequest, access: Access) -> None:
    """The attempt is logged, saying nothing about whether the BSN exists anywhere."""
    record_access(
        request.user,
        access,
        EventType.CLIENT_UPDATE,
        action=Action.UPDATE,
        outcome=Outcome.DENIED,
        object_type="client",
        object_id=access.client.pk,
        fields=["bsn"],
        checks={"autorisatie": "geweigerd: BSN alleen door de eigen praktijk"},
    )


@sensitive_post_parameters("bsn", "id_document_number")
@sensitive_variables("access")
@require_http_methods(["GET", "POST"])
def client_edit(request: HttpRequest, client_id: UUID) -> HttpResponse:
    access = client_for(request, client_id, write=True)
    form = ClientForm(request.POST or None, instance=access.client)
    if request.method == "POST" and form.is_valid():
        try:
            services.client_update(
                access=access,
                actor=request.user,
                data=form.data_for_service(),
                expected_version=form.cleaned_data["version"] or 0,
                reason=form.cleaned_data.get("change_reason", ""),
            )
        except services.DuplicateBsnError:
            # client_update only lets the client's own practice change the BSN, so whoever
            # sees this message belongs to the practice that holds the clashing client.
            form.add_error(
                "bsn", _("Er staat al een cliënt met dit BSN in uw praktijk.")
            )
        except services.BsnChangeRefused:
            _log_bsn_refused(request, access)
            form.add_error("bsn", NEUTRAL_BSN_MESSAGE)
        except services.ConflictError as exc:
            _conflict(form, exc)
        else:
            messages.success(request, _("Gegevens van de cliënt opgeslagen."))
            return _after_client(access)
    context = {
        "form": form,
        "title": _("Gegevens van de cliënt wijzigen"),
        "client": access.client,
    }
    return render(request, "dossiers/client_form.html", context)


def _after_client(access: Access) -> HttpResponse:
    if access.dossier_id:
        return redirect("dossiers:dossier_detail", dossier_id=access.dossier_id)
    return redirect("dossiers:dossier_create", client_id=access.client.pk)


@require_http_methods(["GET", "POST"])
def dossier_create(request: AuthenticatedHttpRequest, client_id: UUID) -> HttpResponse:
    access = client_for(request, client_id, write=True)
    if access.dossier_id:
        return redirect("dossiers:dossier_detail", dossier_id=access.dossier_id)
    user = request.user
    initial = {
        "practitioner_name": user.display_name,
        "agb_code": user.agb_code,
        "practitioner_profession": user.profession,
    }
    form = DossierForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        dossier = services.dossier_open(
            access=access, actor=request.user, data=form.data_for_service()
        )
        messages.success(request, _("Dossier geopend."))
        return redirect("dossiers:dossier_detail", dossier_id=dossier.pk)
    return render(
        request,
        "dossiers/dossier_form.html",
        {"form": form, "client": access.client, "title": _("Dossier openen")},
    )


def _client_to_portal(
    request: HttpRequest, dossier_id: UUID, *, part: str, object_id: Any = ""
) -> bool:
    """A client (or their representative) reads the record in the portal, never on the
    zorgverlener's pages: True for a record they may read (nothing shown here, so no read
    logged); a logged 404 for another's."""
    if not getattr(request.user, "is_client", False):
        return False
    dossier_for(
        request,
        dossier_id,
        part=part,
        object_id=object_id,
        bases=(Basis.SELF, Basis.REPRESENTATIVE),
        log=False,
    )
    return True


@require_http_methods(["GET"])
def dossier_detail(request: HttpRequest, dossier_id: UUID) -> HttpResponse:
    if _client_to_portal(request, dossier_id, part="dossier"):
        return redirect("portal:home")
    access = dossier_for(request, dossier_id)
    number = request.GET.get("pagina")
    body = page_cache.dossier_body(
        request, access, number, lambda: dossier_page(access, number)
    )
    return render(
        request,
        "dossiers/dossier_detail.html",
        {"client": access.client, "body": body},
    )


@require_http_methods(["GET", "POST"])
def dossier_edit(request: HttpRequest, dossier_id: UUID) -> HttpResponse:
    access = dossier_for(request, dossier_id, write=True)
    form = DossierForm(request.POST or None, instance=access.dossier)
    if request.method == "POST" and form.is_valid():
        try:
            services.dossier_update(
                access=access,
                actor=request.user,
                data=form.data_for_service(),
                expected_version=form.cleaned_data["version"] or 0,
                reason=form.cleaned_data.get("change_reason", ""),
            )
        except services.ConflictError as exc:
            _conflict(form, exc)
        else:
            messages.success(request, _("Dossier opgeslagen."))
            return redirect("dossiers:dossier_detail", dossier_id=dossier_id)
    return render(
        request,
        "dossiers/dossier_form.html",
        {
            "form": form,
            "client": access.client,
            "dossier": access.dossier,
            "title": _("Dossiergegevens wijzigen"),
        },
    )


@require_http_methods(["GET", "POST"])
def entry_create(
    request: HttpRequest, dossier_id: UUID, kind: EntryKind
) -> HttpResponse:
    access = dossier_for(
        request, dossier_id, write=True, part=kind.model.__name__.lower()
    )
    form = kind.form(request.POST or None, dossier=access.dossier)
    if request.method == "POST" and form.is_valid():
        services.entry_add(
            access=access,
            actor=request.user,
            model=kind.model,
            data=form.data_for_service(),
        )
        messages.success(request, _("Opgeslagen."))
        return redirect("dossiers:dossier_detail", dossier_id=dossier_id)
    context = {
        "form": form,
        "client": access.client,
        "dossier": access.dossier,
        "title": kind.title_new,
    }
    return render(request, "dossiers/entry_form.html", context)


@require_http_methods(["GET", "POST"])
def entry_edit(
    request: HttpRequest, dossier_id: UUID, kind: EntryKind, entry_id: UUID
) -> HttpResponse:
    part = kind.model.__name__.lower()
    access = dossier_for(request, dossier_id, write=True, part=part, object_id=entry_id)
    entries = kind.model._default_manager.filter(dossier_id=access.dossier.pk)
    entry = row_in(request, access, entries, entry_id, part=part)
    form = kind.form(request.POST or None, instance=entry, dossier=access.dossier)
    if request.method == "POST" and form.is_valid():
        try:
            services.entry_update(
                access=access,
                actor=request.user,
                entry=entry,
                data=form.data_for_service(),
                expected_version=form.cleaned_data["version"] or 0,
                reason=form.cleaned_data.get("change_reason", ""),
            )
        except services.ConflictError as exc:
            _conflict(form, exc)
        else:
            messages.success(request, _("Wijziging opgeslagen."))
            return redirect("dossiers:dossier_detail", dossier_id=dossier_id)
    context = {
        "form": form,
        "client": access.client,
        "dossier": access.dossier,
        "title": kind.title_edit,
        "history_url": reverse(
            "dossiers:entry_history", args=[dossier_id, kind.slug, entry_id]
        ),
    }
    return render(request, "dossiers/entry_form.html", context)


@require_http_methods(["GET", "POST"])
def attachment_create(request: HttpRequest, dossier_id: UUID) -> HttpResponse:
    access = dossier_for(request, dossier_id, write=True, part="attachment")
    form = AttachmentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        services.attachment_add(
            access=access,
            actor=request.user,
            title=form.cleaned_data["title"],
            content=upload.read(),
            content_type=form.cleaned_data["content_type"],
        )
        messages.success(request, _("Bijlage toegevoegd."))
        return redirect("dossiers:dossier_detail", dossier_id=dossier_id)
    context = {
        "form": form,
        "client": access.client,
        "dossier": access.dossier,
        "title": _("Bijlage toevoegen"),
        "multipart": True,
    }
    return render(request, "dossiers/entry_form.html", context)


@require_http_methods(["GET"])
def attachment_download(
    request: HttpRequest, dossier_id: UUID, attachment_id: UUID
) -> HttpResponse:
    if _client_to_portal(
        request, dossier_id, part="attachment", object_id=attachment_id
    ):
        return redirect("portal:attachment_download", attachment_id=attachment_id)
    access = dossier_for(
        request, dossier_id, part="attachment", object_id=attachment_id
    )
    attachments = Attachment.objects.filter(dossier_id=access.dossier.pk)
    attachment = row_in(request, access, attachments, attachment_id, part="attachment")
    response = HttpResponse(attachment.content, content_type=attachment.content_type)
    response["Content-Disposition"] = f'attachment; filename="{attachment.filename}"'
    return response
