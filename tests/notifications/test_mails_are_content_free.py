"""Each trigger mails the right person through a real SMTP server, and every mail says only
that something waits: no name, no kind of request, no health data."""

from __future__ import annotations

import datetime

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from consent.services import grant_create
from dossiers.export_services import pdf_job_start
from dossiers.models import Client
from notifications.delivery import deliver_due
from notifications.models import Kind, Notification, Status
from portal.models import RightsRequest
from tests.notifications.conftest import ADDRESSES
from tests.personas import Cast, owner_access, verified_login

CLIENT_TEXT = (
    "Goedendag,\n\nEr staat iets voor u klaar in uw dossier. Log in op "
    "https://ecd.example.nl om het te bekijken."
)
CAREGIVER_TEXT = (
    "Goedendag,\n\nEr staat iets voor u klaar in het ECD. Log in op "
    "https://ecd.example.nl om het te bekijken."
)
# What a mail must never contain: names (client, zorgverlener, colleague), the request's
# kind and text, the decision, the diagnosis of tests.personas, the practice.
NEVER = (
    "Bram",
    "Dalen",
    "Anna",
    "Wit",
    "Dirk",
    "Praktijk",
    "correctie",
    "vernietig",
    "afschrift",
    "besluit",
    "toegekend",
    "canary",
    "klopt-niet-7c1e",
    "motivering-55aa",
)


def assert_content_free(message, text: str) -> None:
    body = message.get_content().replace("\r\n", "\n")
    assert body.startswith(text)
    assert message["Subject"] == "Er staat iets voor u klaar"
    for word in NEVER:
        assert word.lower() not in body.lower(), word


def file_request(cast: Cast, http) -> RightsRequest:
    response = http.post(
        reverse("portal:requests"),
        {"kind": "correctie", "reason": "De diagnose klopt-niet-7c1e."},
    )
    assert response.status_code == 302
    return RightsRequest.objects.get(client_id=cast.dossier.client_id)


def test_a_filed_request_mails_the_zorgverlener(people: Cast, smtp, client) -> None:
    file_request(people, verified_login(client, people.bram))
    assert deliver_due().sent == 1
    (mail,) = smtp.inbox.messages
    assert mail["X-Envelope-To"] == ADDRESSES["anna"]
    assert_content_free(mail, CAREGIVER_TEXT)


def test_a_decision_mails_the_client(people: Cast, smtp, client) -> None:
    request = file_request(people, verified_login(client, people.bram))
    anna = verified_login(client.__class__(), people.anna)
    response = anna.post(
        reverse("portal:request_decide", args=[request.pk]),
        {"status": "toegekend", "reason": "motivering-55aa"},
    )
    assert response.status_code == 302
    deliver_due()
    (mail,) = smtp.inbox.to(ADDRESSES["bram"])
    assert_content_free(mail, CLIENT_TEXT)
    assert [m["X-Envelope-To"] for m in smtp.inbox.messages] == [
        ADDRESSES["anna"],
        ADDRESSES["bram"],
    ]


def test_an_afschrift_made_by_the_worker_mails_who_asked(people: Cast, smtp) -> None:
    client = Client.objects.select_related("dossier").get(pk=people.dossier.client_id)
    from dossiers.access import Access

    pdf_job_start(
        access=Access(client=client, basis="self"),
        actor=people.bram,
        recipient="cliënt",
        protect=False,
    )
    assert not Notification.objects.exists()  # queued, not made: nothing to tell yet
    call_command("run_exports", "--once")
    assert Notification.objects.get().kind == Kind.EXPORT_READY
    deliver_due()
    (mail,) = smtp.inbox.messages
    assert mail["X-Envelope-To"] == ADDRESSES["bram"]
    assert_content_free(mail, CLIENT_TEXT)


def test_a_read_by_a_colleague_mails_the_client_once_a_day(
    people: Cast, smtp, client
) -> None:
    today = timezone.localdate()
    grant_create(
        actor=people.anna,
        client=Client.objects.get(pk=people.dossier.client_id),
        colleague=people.dirk,
        data={
            "valid_from": today,
            "valid_until": today + datetime.timedelta(days=7),
            "consent_given_on": today,
            "consent_method": "mondeling",
        },
    )
    dirk = verified_login(client, people.dirk)
    page = reverse("dossiers:dossier_detail", args=[people.dossier.pk])
    for _ in range(3):
        assert dirk.get(page).status_code == 200
    deliver_due()
    (mail,) = smtp.inbox.messages
    assert mail["X-Envelope-To"] == ADDRESSES["bram"]
    assert_content_free(mail, CLIENT_TEXT)
    # the next day, the first read tells the client again
    row = Notification.objects.get(kind=Kind.READ_BY_OTHER)
    yesterday = today - datetime.timedelta(days=1)
    Notification.objects.filter(pk=row.pk).update(
        dedupe_key=row.dedupe_key.replace(str(today), str(yesterday))
    )
    assert dirk.get(page).status_code == 200
    assert dirk.get(page).status_code == 200
    assert Notification.objects.filter(kind=Kind.READ_BY_OTHER).count() == 2
    deliver_due()
    assert len(smtp.inbox.messages) == 2


def test_reads_by_the_own_practice_and_the_client_tell_nobody(
    people: Cast, smtp, client
) -> None:
    anna = verified_login(client, people.anna)
    assert (
        anna.get(
            reverse("dossiers:dossier_detail", args=[people.dossier.pk])
        ).status_code
        == 200
    )
    bram = verified_login(client.__class__(), people.bram)
    assert bram.get(reverse("portal:home")).status_code == 200
    assert not Notification.objects.exists()
    assert deliver_due().sent == 0
    assert smtp.inbox.messages == []


def test_an_inspectors_read_and_export_tell_the_client(
    people: Cast, smtp, client
) -> None:
    from consent.models import InspectorMandate

    mandate = InspectorMandate.objects.create(
        practice_id=people.anna.practice_id,
        inspector=people.ingrid,
        case_reference="IGJ-2026-030",
        valid_from=timezone.now() - datetime.timedelta(hours=1),
        valid_until=timezone.now() + datetime.timedelta(days=7),
        created_by=people.anna,
        may_export=True,
    )
    mandate.clients.set([people.dossier.client_id])
    ingrid = verified_login(client, people.ingrid)
    assert (
        ingrid.get(
            reverse("dossiers:dossier_detail", args=[people.dossier.pk])
        ).status_code
        == 200
    )
    assert (
        ingrid.get(
            reverse("dossiers:export_json", args=[people.dossier.pk])
        ).status_code
        == 200
    )
    deliver_due()
    (mail,) = smtp.inbox.messages  # read and export on one day: one mail
    assert mail["X-Envelope-To"] == ADDRESSES["bram"]
    assert_content_free(mail, CLIENT_TEXT)


def test_a_person_without_an_address_is_skipped_not_retried(
    cast: Cast, smtp, client
) -> None:
    file_request(cast, verified_login(client, cast.bram))  # anna has no address here
    result = deliver_due()
    assert (result.sent, result.skipped) == (0, 1)
    assert Notification.objects.get().status == Status.SKIPPED
    assert smtp.inbox.messages == []


def test_many_waiting_rows_make_one_mail_per_person(people: Cast, smtp) -> None:
    from portal.services import request_file

    access = owner_access(people.dossier)
    for n in range(3):
        request_file(
            access=access, actor=people.bram, kind="bezwaar", reason=f"bezwaar {n}"
        )
    assert Notification.objects.count() == 3
    assert deliver_due().sent == 3
    assert len(smtp.inbox.messages) == 1
    assert set(Notification.objects.values_list("status", flat=True)) == {Status.SENT}
