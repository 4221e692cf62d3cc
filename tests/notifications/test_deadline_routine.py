"""The daily routine tells the zorgverlener about requests due within 7 days and about
those overdue, once per request and stage, and reports on the readiness overview."""

from __future__ import annotations

import datetime

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from notifications.models import Kind, Notification
from portal.models import RightsRequest
from portal.services import request_decide, request_file
from practice.models import RoutineRun
from tests.notifications.conftest import ADDRESSES
from tests.personas import make_user, owner_access, verified_login


def _request(cast, due_in_days: int) -> RightsRequest:
    request = request_file(
        access=owner_access(cast.dossier), actor=cast.bram, kind="bezwaar", reason="x"
    )
    RightsRequest.objects.filter(pk=request.pk).update(
        deadline=timezone.localdate() + datetime.timedelta(days=due_in_days)
    )
    return RightsRequest.objects.get(pk=request.pk)


def test_due_soon_and_overdue_requests_are_told_once(people, smtp) -> None:
    soon, today, overdue, _later = (
        _request(people, 7),
        _request(people, 0),
        _request(people, -1),
        _request(people, 8),
    )
    decided = _request(people, 2)
    request_decide(actor=people.anna, request=decided, status="toegekend", reason="")
    Notification.objects.all().delete()  # the 'filed' and 'decided' mails are not the point here
    call_command("notify_deadlines")
    kinds = dict(
        Notification.objects.values_list("dedupe_key", "kind")
    )  # key: kind:request:user
    assert kinds == {
        f"{Kind.DEADLINE_SOON}:{soon.pk}:{people.anna.pk}": Kind.DEADLINE_SOON,
        f"{Kind.DEADLINE_SOON}:{today.pk}:{people.anna.pk}": Kind.DEADLINE_SOON,
        f"{Kind.DEADLINE_PASSED}:{overdue.pk}:{people.anna.pk}": Kind.DEADLINE_PASSED,
    }
    run = RoutineRun.objects.get(routine="request_deadlines")
    assert run.ok
    assert run.detail == "3 herinnering(en) klaargezet, 3 e-mail(s) verzonden"
    assert [m["X-Envelope-To"] for m in smtp.inbox.messages] == [ADDRESSES["anna"]]
    # the next day's run tells nothing new …
    call_command("notify_deadlines")
    assert Notification.objects.count() == 3
    # … until a request that was due soon is overdue
    RightsRequest.objects.filter(pk=soon.pk).update(
        deadline=timezone.localdate() - datetime.timedelta(days=1)
    )
    call_command("notify_deadlines")
    assert Notification.objects.filter(kind=Kind.DEADLINE_PASSED).count() == 2


def test_every_zorgverlener_of_the_practice_is_told(people, smtp) -> None:
    partner = make_user("petra", Role.CAREGIVER, people.anna.practice, name="Petra P")
    partner.contact_email = "petra@praktijk-anna.example"
    partner.save()
    _request(people, 3)
    assert set(Notification.objects.values_list("recipient", flat=True)) == {
        people.anna.pk,
        partner.pk,
    }
    call_command("notify_deadlines")
    assert Notification.objects.filter(kind=Kind.DEADLINE_SOON).count() == 2
    assert not Notification.objects.filter(recipient=people.dirk).exists()


def test_the_readiness_overview_shows_the_routine(people, smtp, client) -> None:
    call_command("notify_deadlines")
    page = verified_login(client, people.anna).get(reverse("practice:readiness"))
    assert "Laatste controle termijnen van verzoeken" in page.content.decode()
