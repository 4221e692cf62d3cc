"""One shared worker: at most one afschrift per client waits or is being made."""

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse

from audit.models import AccessEvent
from dossiers.export_services import pdf_job_start
from dossiers.models import ExportJob, ExportStatus
from tests.audit.helpers import in_threads
from tests.personas import Cast, make_cast, owner_access


def test_fifteen_requests_queue_one_job_and_show_the_pending_one(
    cast: Cast, as_user
) -> None:
    """Fifteen POSTs in a row make one job; every later answer shows that job and says so."""
    http = as_user(cast.anna)
    url = reverse("dossiers:export_pdf", args=[cast.dossier.pk])
    first = http.post(url, {"protect": "on"})
    assert first.context["password"]
    job = first.context["job"]
    for _ in range(14):
        again = http.post(url, {"protect": "on"})
        assert again.status_code == 200
        assert again.context["job"].pk == job.pk
        assert not again.context["password"]  # no new password for a job that has one
        assert "Er wordt al een afschrift" in again.content.decode()
    assert ExportJob.objects.filter(client=cast.dossier.client_id).count() == 1
    requested = AccessEvent.objects.filter(event_type="export.pdf.requested")
    assert requested.count() == 15  # every attempt is in the access log
    assert set(requested.values_list("object_id", flat=True)) == {str(job.pk)}


def test_a_finished_job_does_not_block_the_next_request(cast: Cast, as_user) -> None:
    """Once the worker has made the afschrift, a new request makes a new job."""
    http = as_user(cast.anna)
    url = reverse("dossiers:export_pdf", args=[cast.dossier.pk])
    first = http.post(url, {"protect": ""}).context["job"]
    call_command("run_exports", "--once")
    assert ExportJob.objects.get(pk=first.pk).status == ExportStatus.DONE
    second = http.post(url, {"protect": ""}).context["job"]
    assert second.pk != first.pk
    assert ExportJob.objects.get(pk=second.pk).status == ExportStatus.QUEUED


def test_the_database_refuses_a_second_pending_job(cast: Cast) -> None:
    """The rule holds even for a write that bypasses the service (partial unique index)."""
    started = pdf_job_start(
        access=owner_access(cast.dossier),
        actor=cast.anna,
        recipient="Bram",
        protect=False,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        ExportJob.objects.create(
            practice_id=started.job.practice_id,
            key_ref=started.job.key_ref,
            client_id=started.job.client_id,
            created_by=cast.anna,
            recipient="Bram",
        )


@pytest.mark.postgres
def test_concurrent_requests_queue_one_job(committed_db) -> None:
    """Eight simultaneous requests (threads, real commits) leave exactly one pending job."""
    cast = make_cast()

    def ask(_: int) -> None:
        pdf_job_start(
            access=owner_access(cast.dossier),
            actor=cast.anna,
            recipient="Bram",
            protect=True,
        )

    in_threads(ask, range(8))
    assert ExportJob.objects.filter(client=cast.dossier.client_id).count() == 1
