"""Each person turns the optional e-mails off on their own page (the client in the
portal, the zorgverlener in their account); the mandatory ones stay on."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from audit.models import AccessEvent
from consent.services import grant_create
from dossiers.access import Access
from dossiers.export_services import pdf_job_start
from dossiers.models import Client
from notifications.delivery import deliver_due
from notifications.models import Kind, Notification, OptOut
from portal.services import request_decide, request_file
from tests.notifications.conftest import ADDRESSES
from tests.personas import Cast, owner_access, verified_login

PORTAL = reverse("notifications:portal_preferences")
ACCOUNT = reverse("notifications:account_preferences")


def _grant_dirk(cast: Cast) -> None:
    today = timezone.localdate()
    grant_create(
        actor=cast.anna,
        client=Client.objects.get(pk=cast.dossier.client_id),
        colleague=cast.dirk,
        data={
            "valid_from": today,
            "valid_until": today + datetime.timedelta(days=7),
            "consent_given_on": today,
            "consent_method": "mondeling",
        },
    )


def test_the_client_page_lists_mandatory_and_optional_mails(people, client) -> None:
    page = verified_login(client, people.bram).get(PORTAL)
    text = page.content.decode()
    assert page.status_code == 200
    assert "Er is een besluit over uw verzoek" in text  # always on, listed
    assert 'name="request_decided"' not in text  # … and not a box to untick
    for kind in (Kind.EXPORT_READY, Kind.READ_BY_OTHER):
        assert f'name="{kind}"' in text
    assert text.count("checked") == 2  # both optional ones on by default


def test_a_client_who_turned_reads_off_gets_no_read_mail(people, smtp, client) -> None:
    bram = verified_login(client, people.bram)
    assert bram.post(PORTAL, {Kind.EXPORT_READY: "on"}).status_code == 302
    assert set(OptOut.objects.values_list("kind", flat=True)) == {Kind.READ_BY_OTHER}
    _grant_dirk(people)
    dirk = verified_login(client.__class__(), people.dirk)
    assert (
        dirk.get(
            reverse("dossiers:dossier_detail", args=[people.dossier.pk])
        ).status_code
        == 200
    )
    assert not Notification.objects.filter(kind=Kind.READ_BY_OTHER).exists()
    # turning it on again: the next read tells the client
    assert bram.post(PORTAL, {Kind.READ_BY_OTHER: "on"}).status_code == 302
    assert set(OptOut.objects.values_list("kind", flat=True)) == {Kind.EXPORT_READY}
    dirk.get(reverse("dossiers:dossier_detail", args=[people.dossier.pk]))
    deliver_due()
    assert [m["X-Envelope-To"] for m in smtp.inbox.messages] == [ADDRESSES["bram"]]


def test_unticking_everything_cannot_stop_a_mandatory_mail(
    people, smtp, client
) -> None:
    bram = verified_login(client, people.bram)
    response = bram.post(PORTAL, {"request_decided": ""})  # all boxes unticked
    assert response.status_code == 302
    assert OptOut.objects.filter(user=people.bram).count() == 2
    request = request_file(
        access=owner_access(people.dossier),
        actor=people.bram,
        kind="bezwaar",
        reason="x",
    )
    request_decide(actor=people.anna, request=request, status="afgewezen", reason="y")
    deliver_due()
    assert ADDRESSES["bram"] in [m["X-Envelope-To"] for m in smtp.inbox.messages]


def test_the_database_refuses_turning_a_mandatory_kind_off(people) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        OptOut.objects.create(user=people.anna, kind=Kind.DEADLINE_PASSED)


def test_the_zorgverlener_turns_afschrift_mails_off_in_her_account(
    people, smtp, client
) -> None:
    anna = verified_login(client, people.anna)
    page = anna.get(ACCOUNT).content.decode()
    assert 'name="export_ready"' in page
    for mandatory in ("request_filed", "deadline_soon", "deadline_passed"):
        assert f'name="{mandatory}"' not in page
    assert anna.post(ACCOUNT, {}).status_code == 302
    assert list(OptOut.objects.values_list("user", "kind")) == [
        (people.anna.pk, Kind.EXPORT_READY)
    ]
    pdf_job_start(
        access=owner_access(people.dossier),
        actor=people.anna,
        recipient="huisarts",
        protect=False,
    )
    call_command("run_exports", "--once")
    assert not Notification.objects.exists()
    # a request filed still reaches her
    request_file(
        access=Access(
            client=Client.objects.select_related("dossier").get(
                pk=people.dossier.client_id
            ),
            basis="self",
        ),
        actor=people.bram,
        kind="bezwaar",
        reason="x",
    )
    deliver_due()
    assert [m["X-Envelope-To"] for m in smtp.inbox.messages] == [ADDRESSES["anna"]]


def test_a_change_of_preferences_is_logged_without_a_client(people, client) -> None:
    verified_login(client, people.bram).post(PORTAL, {})
    event = AccessEvent.objects.get(event_type="notifications.preferences")
    assert event.actor_id == people.bram.pk
    assert event.client_id is None  # an account setting, not a line in who-saw-what
    assert event.detail == "uit: export_ready, read_by_other"


def test_each_role_reaches_only_its_own_page(people, client) -> None:
    bram = verified_login(client, people.bram)
    assert bram.get(ACCOUNT).status_code == 403
    anna = verified_login(client.__class__(), people.anna)
    assert anna.get(PORTAL).status_code == 403  # every actor: the authorization matrix


def test_the_menus_link_to_the_pages(people, client) -> None:
    bram = verified_login(client, people.bram)
    assert f'"{PORTAL}"' in bram.get(reverse("portal:home")).content.decode()
    anna = verified_login(client.__class__(), people.anna)
    sessions = anna.get(reverse("accounts:session_list")).content.decode()
    assert f'"{ACCOUNT}"' in sessions
