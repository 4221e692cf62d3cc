"""State changes say what they want: repeating one (double click, second tab) never
reverses or re-does it."""

import datetime

from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone

from accounts.models import portal_login_name
from audit.models import AccessEvent
from consent.models import AccessGrant
from consent.services import grant_create
from dossiers.models import Client
from tests.personas import Cast, verified_login


def _grant(cast: Cast) -> AccessGrant:
    today = timezone.localdate()
    return grant_create(
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


def test_revoking_a_grant_twice_keeps_it_revoked_once(cast: Cast) -> None:
    """The caregiver's and the client's revoke buttons, each pressed twice: the grant stays
    revoked with its first time and revoker, one revoke event, and Dirk has no access."""
    anna = verified_login(HttpClient(), cast.anna)
    bram = verified_login(HttpClient(), cast.bram)
    grant = _grant(cast)
    url = reverse("consent:grant_revoke", args=[cast.dossier.pk, grant.pk])
    assert anna.post(url).status_code == 302
    first = AccessGrant.objects.get(pk=grant.pk)
    assert anna.post(url).status_code == 302
    assert bram.post(reverse("portal:grant_revoke", args=[grant.pk])).status_code == 302
    again = AccessGrant.objects.get(pk=grant.pk)
    assert (again.revoked_at, again.revoked_by_id) == (
        first.revoked_at,
        first.revoked_by_id,
    )
    assert AccessEvent.objects.filter(event_type="grant.revoke").count() == 1
    dirk = verified_login(HttpClient(), cast.dirk)
    page = dirk.get(reverse("dossiers:dossier_detail", args=[cast.dossier.pk]))
    assert page.status_code == 404


def test_an_invitation_accepted_twice_makes_one_account(cast: Cast) -> None:
    """The second POST of the same invitation link is refused; the first account stays."""
    from portal.services import invitation_create

    client = Client.objects.get(pk=cast.dossier.client_id)
    client.portal_user = None
    client.save(update_fields=["portal_user"])
    _invitation, link = invitation_create(
        actor=cast.anna, client=client, email="b@example.nl", base_url=""
    )
    form = {
        "username": "bram-portaal",
        "password1": "een heel lang en sterk wachtwoord",
        "password2": "een heel lang en sterk wachtwoord",
    }
    one, two = HttpClient(), HttpClient()
    one.get(link), two.get(link)  # two tabs opened the link before either one chose
    first = one.post(reverse("portal:invitation_accept"), form)
    assert first.status_code == 302
    second = two.post(
        reverse("portal:invitation_accept"), {**form, "username": "bram-twee"}
    )
    assert second.status_code == 410
    client.refresh_from_db()
    assert client.portal_user.username == portal_login_name("bram-portaal")
    assert AccessEvent.objects.filter(event_type="invitation.accept").count() == 1


def test_a_decided_rights_request_is_not_flipped_by_a_second_post(
    cast: Cast, as_user
) -> None:
    """A stale tab or a double click never reverses a decision the client may have seen."""
    from portal.models import RightsRequest

    client = cast.dossier.client
    item = RightsRequest.objects.create(
        practice_id=client.practice_id,
        client=client,
        key_ref=client.key_ref,
        kind="correctie",
        reason="klopt niet",
        filed_by=cast.bram,
        deadline=datetime.date.today() + datetime.timedelta(days=20),
    )
    http = as_user(cast.anna)
    url = reverse("portal:request_decide", args=[item.pk])
    http.post(url, {"status": "afgewezen", "reason": "eerste besluit"})
    again = http.post(
        url, {"status": "toegekend", "reason": "tweede besluit"}, follow=True
    )
    item.refresh_from_db()
    assert (item.status, item.decision_reason) == ("afgewezen", "eerste besluit")
    assert "al besloten" in again.content.decode()
    assert AccessEvent.objects.filter(event_type="rightsrequest.decide").count() == 1
