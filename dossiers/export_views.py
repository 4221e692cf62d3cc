"""Downloads of the afschrift: JSON, FHIR and (made in the background) PDF."""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from audit.models import Basis
from dossiers.access import Access, export_access, row_in
from dossiers.export_services import export_record, pdf_job_start
from dossiers.exports import as_fhir, as_json, collect
from dossiers.forms import ExportForm
from dossiers.models import ExportJob, ExportKind, ExportStatus


def _recipient(access: Access) -> str:
    names: dict[str, str] = {
        Basis.SELF: "cliënt zelf",
        Basis.REPRESENTATIVE: "vertegenwoordiger",
        Basis.INSPECTOR: "IGJ-inspecteur",
    }
    return names.get(access.basis, "cliënt")


def download(content: bytes, *, filename: str, content_type: str) -> HttpResponse:
    """A file download with a server-chosen name: nothing of the client's name reaches the header."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _json_bytes(data: dict[str, Any]) -> bytes:
    return json.dumps(
        data, ensure_ascii=False, indent=1, cls=DjangoJSONEncoder
    ).encode()


@require_GET
def export_json(request: HttpRequest, dossier_id: UUID) -> HttpResponse:
    access = export_access(request, dossier_id)
    export_record(
        access=access, actor=request.user, fmt="json", recipient=_recipient(access)
    )
    data = as_json(
        collect(access.client, issued_by=request.user, attachment_content=False)
    )
    return download(
        _json_bytes(data),
        filename=f"afschrift-{access.dossier_id}.json",
        content_type="application/json; charset=utf-8",
    )


@require_GET
def export_fhir(request: HttpRequest, dossier_id: UUID) -> HttpResponse:
    access = export_access(request, dossier_id)
    export_record(
        access=access, actor=request.user, fmt="fhir", recipient=_recipient(access)
    )
    data = as_fhir(collect(access.client, issued_by=request.user))
    return download(
        _json_bytes(data),
        filename=f"afschrift-{access.dossier_id}.fhir.json",
        content_type="application/fhir+json; charset=utf-8",
    )


@require_http_methods(["GET", "POST"])
def pdf_request(request: HttpRequest, dossier_id: UUID) -> HttpResponse:
    access = export_access(request, dossier_id, log=True)
    # A client (or their representative) downloading their own copy opts in to a lock;
    # a zorgverlener preparing a copy to send opts out.
    form = ExportForm(
        request.POST or None,
        protect_by_default=access.basis not in (Basis.SELF, Basis.REPRESENTATIVE),
    )
    if request.method == "POST" and form.is_valid():
        started = pdf_job_start(
            access=access,
            actor=request.user,
            recipient=_recipient(access),
            protect=form.cleaned_data["protect"],
            kind=form.cleaned_data["kind"],
        )
        # The password is shown here, once; the page is not cached and the password is not stored in clear.
        return render(
            request,
            "dossiers/export_job.html",
            {
                "job": started.job,
                "password": started.password,
                "already_pending": started.already_pending,
                "access": access,
            },
        )
    return render(
        request,
        "dossiers/export_request.html",
        {"form": form, "access": access, "title": _("Afschrift maken")},
    )


@require_GET
def pdf_job(request: HttpRequest, dossier_id: UUID, job_id: UUID) -> HttpResponse:
    access = export_access(request, dossier_id, log=True)
    jobs = ExportJob.objects.filter(client=access.client).defer("content")
    job = row_in(request, access, jobs, job_id, part="export")
    return render(request, "dossiers/export_job.html", {"job": job, "access": access})


@require_GET
def pdf_download(request: HttpRequest, dossier_id: UUID, job_id: UUID) -> HttpResponse:
    access = export_access(request, dossier_id)
    jobs = ExportJob.objects.filter(
        client=access.client, status=ExportStatus.DONE, content__isnull=False
    )
    job = row_in(request, access, jobs, job_id, part="export")
    export_record(
        access=access,
        actor=request.user,
        fmt=job.kind,
        recipient=job.recipient,
        object_id=job.pk,
    )
    if job.kind == ExportKind.PACKAGE:
        return download(
            job.content,
            filename=f"afschrift-pakket-{access.dossier_id}.zip",
            content_type="application/zip",
        )
    return download(
        job.content,
        filename=f"afschrift-{access.dossier_id}.pdf",
        content_type="application/pdf",
    )
