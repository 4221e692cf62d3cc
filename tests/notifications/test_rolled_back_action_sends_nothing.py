"""The outbox row is part of the action's transaction: an action that is rolled back
queues nothing and sends nothing, also with the background sender running."""

from __future__ import annotations

import time

import pytest
from django.db import transaction

from dossiers.models import ExportJob, ExportStatus
from notifications.delivery import deliver_due
from notifications.models import Notification
from portal.models import RightsRequest
from portal.services import request_file
from tests.notifications.conftest import ADDRESSES, eventually, give_addresses
from tests.personas import make_cast, owner_access


class Boom(Exception):
    pass


def test_a_request_rolled_back_after_filing_queues_nothing(people, smtp) -> None:
    with pytest.raises(Boom), transaction.atomic():
        request_file(
            access=owner_access(people.dossier),
            actor=people.bram,
            kind="bezwaar",
            reason="bezwaar",
        )
        assert Notification.objects.count() == 1  # queued inside the transaction …
        raise Boom  # … that then fails
    assert not RightsRequest.objects.exists()
    assert not Notification.objects.exists()
    assert deliver_due().sent == 0
    assert smtp.inbox.messages == []


def test_a_failed_afschrift_tells_nobody(people, smtp, monkeypatch) -> None:
    """The worker's job fails while rendering: no 'ready' mail for a file that is not there."""
    from django.core.management import call_command

    from dossiers import export_services
    from dossiers.access import Access
    from dossiers.models import Client

    client = Client.objects.select_related("dossier").get(pk=people.dossier.client_id)
    job = export_services.pdf_job_start(
        access=Access(client=client, basis="self"),
        actor=people.bram,
        recipient="cliënt",
        protect=False,
    ).job

    def broken(*args, **kwargs):
        raise Boom("rendering failed")

    monkeypatch.setattr(export_services, "render_pdf", broken)
    call_command("run_exports", "--once")
    assert ExportJob.objects.get(pk=job.pk).status == ExportStatus.FAILED
    assert not Notification.objects.exists()
    deliver_due()
    assert smtp.inbox.messages == []


@pytest.mark.postgres
def test_with_real_commits_only_the_committed_action_is_mailed(
    in_process_sender, smtp
) -> None:
    """Real transactions and the background sender: the rolled-back request leaves nothing;
    the committed one reaches the SMTP server without anyone calling deliver."""
    cast = give_addresses(make_cast())
    access = owner_access(cast.dossier)
    with pytest.raises(Boom), transaction.atomic():
        request_file(access=access, actor=cast.bram, kind="bezwaar", reason="x")
        raise Boom
    in_process_sender.wake()  # even when woken, there is nothing to send
    time.sleep(0.5)
    assert smtp.inbox.messages == []
    request_file(access=access, actor=cast.bram, kind="bezwaar", reason="y")
    (mail,) = smtp.inbox.wait_for(1)
    assert mail["X-Envelope-To"] == ADDRESSES["anna"]
    assert eventually(lambda: Notification.objects.get().status == "sent")
