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


def test_a_job_the_worker_never_finished_stops_blocking_after_half_an_hour(
    cast: Cast,
) -> None:
    """A job left running by a dead worker is marked failed by the next request, once it
    has run 30 minutes; one taken just now (however long it queued) still blocks."""
    import datetime

    from django.utils import timezone

    from dossiers.export_services import next_job

    access = owner_access(cast.dossier)
    first = pdf_job_start(access=access, actor=cast.anna, recipient="B", protect=False)
    long_ago = timezone.now() - datetime.timedelta(hours=2)
    ExportJob.objects.filter(pk=first.job.pk).update(
        created_at=long_ago, updated_at=long_ago
    )
    taken = next_job()  # the worker takes it now, after two hours in the queue
    assert taken is not None and taken.pk == first.job.pk
    again = pdf_job_start(access=access, actor=cast.anna, recipient="B", protect=False)
    assert again.already_pending and again.job.pk == first.job.pk
    ExportJob.objects.filter(pk=first.job.pk).update(updated_at=long_ago)  # worker died
    fresh = pdf_job_start(access=access, actor=cast.anna, recipient="B", protect=False)
    assert not fresh.already_pending
    assert ExportJob.objects.get(pk=first.job.pk).status == ExportStatus.FAILED
