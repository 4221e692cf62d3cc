"""Making copies of a dossier available: each copy is an access event with recipient and format."""

from __future__ import annotations

import datetime
from typing import Any, NamedTuple

from django.db import transaction
from django.utils import timezone

from audit.models import Action, EventType
from dossiers.access import Access, record_access
from dossiers.exports import build_package, collect, new_pdf_password, render_pdf
from dossiers.models import Client, ExportJob, ExportKind, ExportStatus
from notifications import services as notify

KEEP_FILES = datetime.timedelta(days=1)


# A copy handed out, by format; a copy asked for (made in the background), by kind.
DOWNLOADED = {
    "json": EventType.EXPORT_JSON,
    "fhir": EventType.EXPORT_FHIR,
    ExportKind.PDF.value: EventType.EXPORT_PDF,
    ExportKind.PACKAGE.value: EventType.EXPORT_PACKAGE,
}
REQUESTED = {
    ExportKind.PDF.value: EventType.EXPORT_PDF_REQUESTED,
    ExportKind.PACKAGE.value: EventType.EXPORT_PACKAGE_REQUESTED,
}


def export_record(
    *, access: Access, actor: Any, fmt: str, recipient: str, object_id: Any = ""
) -> None:
    """A copy downloaded: the access decision, recipient and format in one event."""
    record_access(
        actor,
        access,
        DOWNLOADED[fmt],
        action=Action.EXECUTE,
        object_type="export",
        object_id=object_id,
        recipient=recipient,
        detail=fmt,
    )
    notify.seen_by_other(access)


# A job the worker took but never finished (the worker died) stops blocking new requests.
STALE_RUNNING = datetime.timedelta(minutes=30)
PENDING = (ExportStatus.QUEUED, ExportStatus.RUNNING)


class PdfJobStart(NamedTuple):
    job: ExportJob
    # shown once; empty when unprotected or when a job was already pending
    password: str
    already_pending: bool


def pending_pdf_job(client: Client, kind: str = ExportKind.PDF) -> ExportJob | None:
    """The client's afschrift of this kind that is queued or being made (at most one)."""
    return (
        ExportJob.objects.filter(client=client, kind=kind, status__in=PENDING)
        .defer("content")
        .first()
    )


@transaction.atomic
def pdf_job_start(
    *,
    access: Access,
    actor: Any,
    recipient: str,
    protect: bool,
    kind: str = ExportKind.PDF,
) -> PdfJobStart:
    """Queue a PDF afschrift or an afschrift-pakket (zip), or return the one of that kind
    already pending for this client.

    At most one job per client and kind is queued or running (one shared worker; a double
    click or a script cannot flood it): the client row is locked while we look, and a
    partial unique index keeps the rule should anything else insert. The password is
    returned once, for a new job only, and never stored in clear."""
    # Long because starting an afschrift is one transaction: reuse a pending job, or create,
    # log and queue one.
    kind = ExportKind(kind)
    client = Client.objects.select_for_update().get(pk=access.client.pk)
    ExportJob.objects.filter(
        client=client,
        status=ExportStatus.RUNNING,
        updated_at__lt=timezone.now() - STALE_RUNNING,
    ).update(status=ExportStatus.FAILED, pdf_password="", progress=100)
    pending = pending_pdf_job(client, kind)
    if pending is not None:
        _record_request(
            access=access, actor=actor, job=pending, recipient=recipient,
            detail="al in behandeling, geen nieuw afschrift",
        )  # fmt: skip
        return PdfJobStart(pending, "", True)
    password = new_pdf_password() if protect else ""
    job = ExportJob.objects.create(
        practice_id=client.practice_id,
        key_ref=client.key_ref,
        client=client,
        created_by=actor,
        recipient=recipient,
        kind=ExportKind(kind),
        pdf_password=password,
    )
    _record_request(
        access=access, actor=actor, job=job, recipient=recipient,
        detail="beveiligd met wachtwoord" if protect else "zonder wachtwoord",
    )  # fmt: skip
    return PdfJobStart(job, password, False)


def _record_request(
    *, access: Access, actor: Any, job: ExportJob, recipient: str, detail: str
) -> None:
    record_access(
        actor,
        access,
        REQUESTED[ExportKind(job.kind).value],
        action=Action.EXECUTE,
        object_type="export",
        object_id=job.pk,
        recipient=recipient,
        detail=detail,
    )


def pdf_job_run(job: ExportJob) -> ExportJob:
    ExportJob.objects.filter(pk=job.pk).update(status=ExportStatus.RUNNING, progress=10)
    try:
        client = Client.objects.select_related("dossier", "dossier__practice").get(
            pk=job.client_id
        )
        export = collect(client, issued_by=job.created_by)
        ExportJob.objects.filter(pk=job.pk).update(progress=40)
        if job.kind == ExportKind.PACKAGE:
            content, pages = build_package(export, password=job.pdf_password)
        else:
            content, pages = render_pdf(export, password=job.pdf_password)
    except Exception:
        ExportJob.objects.filter(pk=job.pk).update(
            status=ExportStatus.FAILED, pdf_password="", progress=100
        )
        raise
    with transaction.atomic():  # the afschrift and the mail that says it is ready
        job.refresh_from_db()
        job.content, job.pages, job.pdf_password = content, pages, ""
        job.status, job.progress = ExportStatus.DONE, 100
        job.finished_at = timezone.now()
        job.save()
        notify.export_ready(job)
    return job


def next_job() -> ExportJob | None:
    with transaction.atomic():
        job = (
            ExportJob.objects.select_for_update(skip_locked=True)
            .filter(status=ExportStatus.QUEUED)
            .order_by("created_at")
            .defer("content")
            .first()
        )
        if job is not None:
            # updated_at marks when the worker took it (STALE_RUNNING counts from there)
            ExportJob.objects.filter(pk=job.pk).update(
                status=ExportStatus.RUNNING, updated_at=timezone.now()
            )
    return job


def purge_old_files() -> int:
    """Copies are made to be handed over, not kept: files go after a day."""
    old = ExportJob.objects.filter(
        finished_at__lt=timezone.now() - KEEP_FILES, content__isnull=False
    )
    return old.update(content=None)
