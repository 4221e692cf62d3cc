"""Representatives (WGBO 7:465): a representative acts for exactly the clients they
represent, through the portal, and every event they cause names both them and the client
("namens")."""

from __future__ import annotations

import datetime

from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from audit.models import AccessEvent, Basis
from consent.models import AccessGrant, Representation
from consent.services import grant_create, representation_end
from dossiers.access import ACTING_FOR
from dossiers.models import Client, ExportJob
from portal.models import RightsRequest
from tests.personas import Cast, make_user, register_client_with_dossier, verified_login
from tests.world import representation


def _bram(cast: Cast) -> Client:
    return Client.objects.get(pk=cast.dossier.client_id)


def _rita(cast: Cast) -> tuple[HttpClient, Representation]:
    rita = make_user("rita", Role.CLIENT, None, name="Rita Mentor")
    found = representation(cast, _bram(cast), rita)
    return verified_login(HttpClient(), rita), found


def _on_behalf(event: AccessEvent, found: Representation, cast: Cast) -> bool:
    return (
        event.actor_id == found.user_id
        and str(event.client_id) == str(cast.dossier.client_id)
        and event.basis == Basis.REPRESENTATIVE
        and event.basis_ref == str(found.pk)
    )


def test_the_representative_reads_the_portal_namens_the_client(cast: Cast) -> None:
    http, found = _rita(cast)
    response = http.get(reverse("portal:home"))
    assert response.status_code == 200
    assert "canary-diabetes-7f3a" in response.content.decode()
    assert "U handelt namens Bram van Dalen" in response.content.decode()
    event = AccessEvent.objects.filter(event_type="dossier.view").latest("seq")
    assert _on_behalf(event, found, cast)


def test_a_rights_request_grant_revocation_and_afschrift_are_logged_namens(
    cast: Cast,
) -> None:
    http, found = _rita(cast)
    today = timezone.localdate()
    grant = grant_create(
        actor=cast.anna,
        client=_bram(cast),
        colleague=cast.dirk,
        data={
            "valid_from": today,
            "valid_until": today + datetime.timedelta(days=7),
            "consent_given_on": today,
            "consent_method": "schriftelijk",
        },
    )
    filed = http.post(
        reverse("portal:requests"), {"kind": "correctie", "reason": "adres klopt niet"}
    )
    assert filed.status_code == 302
    assert RightsRequest.objects.get().filed_by_id == found.user_id
    revoked = http.post(reverse("portal:grant_revoke", args=[grant.pk]))
    assert revoked.status_code == 302
    assert AccessGrant.objects.get(pk=grant.pk).revoked_at is not None
    pdf = http.post(
        reverse("dossiers:export_pdf", args=[cast.dossier.pk]), {"kind": "pdf"}
    )
    assert pdf.status_code == 200
    assert ExportJob.objects.get(client_id=_bram(cast).pk).recipient == (
        "vertegenwoordiger"
    )
    for event_type in (
        "rightsrequest.create",
        "grant.revoke",
        "export.pdf.requested",
    ):
        events = AccessEvent.objects.filter(
            event_type=event_type, actor_id=found.user_id
        )
        assert events and all(_on_behalf(e, found, cast) for e in events), event_type
    json = http.get(reverse("dossiers:export_json", args=[cast.dossier.pk]))
    assert json.status_code == 200
    export = AccessEvent.objects.get(event_type="export.json")
    assert _on_behalf(export, found, cast) and export.recipient == "vertegenwoordiger"


def test_the_representative_reaches_no_other_client(cast: Cast) -> None:
    http, _found = _rita(cast)
    other = register_client_with_dossier(cast.anna, family_name="Bezemer")
    for name in (
        "dossiers:dossier_detail",
        "dossiers:export_json",
        "audit:dossier_log",
    ):
        assert http.get(reverse(name, args=[other.pk])).status_code == 404, name
    assert http.get(reverse("dossiers:client_list")).status_code == 403
    # the zorgverlener's side of the client they do represent stays closed too
    assert (
        http.get(reverse("consent:grant_list", args=[cast.dossier.pk])).status_code
        == 403
    )
    assert (
        http.get(reverse("audit:dossier_log", args=[cast.dossier.pk])).status_code
        == 404
    )


def test_an_ended_representation_opens_nothing(cast: Cast) -> None:
    http, found = _rita(cast)
    assert http.get(reverse("portal:home")).status_code == 200
    representation_end(actor=cast.anna, representation=found)
    assert http.get(reverse("portal:home")).status_code == 404
    assert (
        http.get(reverse("dossiers:export_json", args=[cast.dossier.pk])).status_code
        == 404
    )
    assert AccessEvent.objects.filter(
        actor_id=found.user_id, outcome="denied", client_id=cast.dossier.client_id
    ).exists()


def test_who_saw_what_says_who_acted_namens_the_client(cast: Cast) -> None:
    http, _found = _rita(cast)
    http.get(reverse("portal:home"))
    page = verified_login(HttpClient(), cast.bram).get(reverse("portal:who_saw"))
    text = page.content.decode()
    assert "Rita Mentor (vertegenwoordiger) bekeek uw dossier op" in text
    assert "namens u" in text
    own = http.get(reverse("portal:who_saw")).content.decode()
    assert "U (vertegenwoordiger) bekeek uw dossier" in own


def test_the_client_sees_who_acts_for_them_and_the_representative_does_not_see_the_others(
    cast: Cast,
) -> None:
    http, _found = _rita(cast)
    page = verified_login(HttpClient(), cast.bram).get(reverse("portal:grants"))
    text = page.content.decode()
    assert "Wie treedt namens u op" in text and "Rita Mentor" in text
    assert "mentor" in text
    assert (
        "Wie treedt namens u op"
        not in http.get(reverse("portal:grants")).content.decode()
    )


def test_several_clients_are_chosen_on_the_choice_page_and_checked_every_request(
    cast: Cast,
) -> None:
    http, found = _rita(cast)
    other = register_client_with_dossier(
        cast.anna, family_name="Bezemer", given_names="Cees"
    )
    second = representation(
        cast, Client.objects.get(pk=other.client_id), found.user, kind="curator"
    )
    home = http.get(reverse("portal:home"))
    assert home.status_code == 302 and home["Location"] == reverse("portal:choose")
    choices = http.get(reverse("portal:choose"))
    assert choices.status_code == 200
    assert {a.client.pk for a in choices.context["choices"]} == {
        cast.dossier.client_id,
        other.client_id,
    }
    assert http.post(reverse("portal:choose"), {"client": str(other.client_id)})[
        "Location"
    ] == reverse("portal:home")
    page = http.get(reverse("portal:home"))
    assert page.context["dossier"].pk == other.pk
    assert "Iemand anders kiezen" in page.content.decode()
    # a client not represented is refused (and logged), the choice stays as it was
    stranger = register_client_with_dossier(cast.anna, family_name="Vreemd")
    refused = http.post(reverse("portal:choose"), {"client": str(stranger.client_id)})
    assert refused.status_code == 404
    assert http.session[ACTING_FOR] == str(other.client_id)
    # the chosen representation ends: the next request is refused and the choice forgotten
    representation_end(actor=cast.anna, representation=second)
    assert http.get(reverse("portal:home")).status_code == 404
    assert ACTING_FOR not in http.session
    assert http.get(reverse("portal:home")).context["dossier"].pk == cast.dossier.pk


def test_a_client_who_also_represents_someone_chooses_between_both(cast: Cast) -> None:
    child = register_client_with_dossier(
        cast.anna,
        family_name="Dalen",
        given_names="Kim",
        date_of_birth=datetime.date.today() - datetime.timedelta(days=8 * 366),
    )
    born = Client.objects.get(pk=child.client_id).date_of_birth
    representation(
        cast,
        Client.objects.get(pk=child.client_id),
        cast.bram,
        kind="ouder",
        document_kind="gezag",
        valid_until=born.replace(year=born.year + 16) - datetime.timedelta(days=1),
    )
    http = verified_login(HttpClient(), cast.bram)
    assert http.get(reverse("portal:home"))["Location"] == reverse("portal:choose")
    text = http.get(reverse("portal:choose")).content.decode()
    assert "Mijn eigen dossier" in text and "Namens Kim van Dalen" in text
    http.post(reverse("portal:choose"), {"client": str(child.client_id)})
    assert http.get(reverse("portal:home")).context["dossier"].pk == child.pk
    http.post(reverse("portal:choose"), {"client": str(cast.dossier.client_id)})
    assert http.get(reverse("portal:home")).context["dossier"].pk == cast.dossier.pk


def test_destroying_the_dossier_removes_its_representations_and_idle_accounts(
    cast: Cast,
) -> None:
    from dossiers.lifecycle import DestructionGround, dossier_destroy
    from tests.personas import owner_access

    _http, found = _rita(cast)
    Client.objects.filter(pk=cast.dossier.client_id).update(portal_user=None)
    from dossiers.models import Dossier

    Dossier.objects.filter(pk=cast.dossier.pk).update(
        last_changed_at=timezone.now() - datetime.timedelta(days=365 * 21)
    )
    dossier_destroy(
        access=owner_access(cast.dossier),
        actor=cast.anna,
        ground=DestructionGround.TERM_EXPIRED,
    )
    assert not Representation.objects.exists()
    rita = type(cast.anna).objects.get(pk=found.user_id)
    assert (
        not rita.is_active and rita.first_name == "" and not rita.has_usable_password()
    )
