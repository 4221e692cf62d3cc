"""A BSN clash is told only to the practice that holds the clashing client."""

import datetime

from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone

from audit.models import AccessEvent
from consent.services import grant_create
from dossiers.models import Client
from tests.dossiers.test_client_registration import URL, zvw
from tests.personas import Cast, client_named, verified_login

TAKEN = "111222333"  # held by a client of Anna's practice
FREE = "123456782"  # held by nobody


def edit_form(client: Client, bsn: str) -> dict[str, str]:
    data = zvw(
        given_names=client.given_names,
        family_name=client.family_name,
        bsn=bsn,
        date_of_birth=client.date_of_birth.isoformat(),
        id_checked_on=datetime.date.today().isoformat(),
    )
    data.update(version=str(client.version), change_reason="correctie")
    return data


def setup(cast: Cast) -> Client:
    anna = verified_login(HttpClient(), cast.anna)
    assert anna.post(URL, zvw(bsn=TAKEN)).status_code == 302
    assert anna.post(URL, zvw(family_name="Anders", bsn=FREE)).status_code == 302
    other = client_named("Anders")
    today = timezone.localdate()
    grant_create(
        actor=cast.anna,
        client=other,
        colleague=cast.dirk,
        data={
            "valid_from": today,
            "valid_until": today + datetime.timedelta(days=30),
            "consent_given_on": today,
            "consent_method": "mondeling",
            "can_write": True,
        },
    )
    return other


def test_a_colleague_with_a_write_grant_learns_nothing_from_a_clash(
    cast: Cast,
) -> None:
    """Dirk (another practice, write grant) gets the same neutral answer for a BSN that
    Anna's practice holds and for one nobody holds; nothing is saved; each try is logged."""
    other = setup(cast)
    dirk = verified_login(HttpClient(), cast.dirk)
    url = reverse("dossiers:client_edit", args=[other.pk])
    answers = []
    for bsn in (TAKEN, "100000009"):
        response = dirk.post(url, edit_form(Client.objects.get(pk=other.pk), bsn))
        assert response.status_code == 200
        answers.append(response.context["form"].errors["bsn"])
    assert answers[0] == answers[1]
    assert "in uw praktijk" not in str(answers[0])
    assert "praktijk van de cliënt" in str(answers[0])
    assert Client.objects.get(pk=other.pk).bsn == FREE
    refused = AccessEvent.objects.filter(
        event_type="client.update", outcome="denied", client_id=other.pk
    )
    assert refused.count() == 2
    assert all(e.actor_id == cast.dirk.pk for e in refused)
    assert all(TAKEN not in str(e.checks) + e.detail for e in refused)


def test_the_owning_practice_is_told_about_the_clash(cast: Cast) -> None:
    """Anna, whose practice holds both clients, is told the BSN is already in use."""
    other = setup(cast)
    anna = verified_login(HttpClient(), cast.anna)
    url = reverse("dossiers:client_edit", args=[other.pk])
    response = anna.post(url, edit_form(Client.objects.get(pk=other.pk), TAKEN))
    assert response.context["form"].errors["bsn"] == [
        "Er staat al een cliënt met dit BSN in uw praktijk."
    ]
    assert Client.objects.get(pk=other.pk).bsn == FREE
