"""AVG art. 18 blocks processing, not the client's rights: requests stay decidable."""

from django.test import Client as HttpClient
from django.urls import reverse

from audit.models import AccessEvent
from dossiers import lifecycle
from dossiers.models import Goal
from portal.models import RequestStatus, RightsRequest
from tests.personas import Cast, owner_access, verified_login


def test_a_rights_request_is_read_and_decided_on_a_restricted_dossier(
    cast: Cast,
) -> None:
    """The caregiver opens and decides a request while the dossier is restricted; writing
    to the dossier itself is still refused."""
    bram = verified_login(HttpClient(), cast.bram)
    bram.post(reverse("portal:requests"), {"kind": "correctie", "reason": "graag"})
    item = RightsRequest.objects.get()
    lifecycle.restriction_set(
        access=owner_access(cast.dossier),
        actor=cast.anna,
        restricted=True,
        reason="cliënt betwist de juistheid",
    )
    anna = verified_login(HttpClient(), cast.anna)
    url = reverse("portal:request_decide", args=[item.pk])
    assert anna.get(url).status_code == 200
    answer = anna.post(url, {"status": "toegekend", "reason": "afschrift gestuurd"})
    assert answer.status_code == 302
    item.refresh_from_db()
    assert item.status == RequestStatus.GRANTED
    assert AccessEvent.objects.filter(event_type="rightsrequest.decide").count() == 1
    refused = anna.post(
        reverse("dossiers:entry_create", args=[cast.dossier.pk, "doelen"]),
        {"description": "x"},
    )
    assert refused.status_code == 403
    assert not Goal.objects.filter(dossier=cast.dossier).exists()
