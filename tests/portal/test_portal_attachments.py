"""Attachments in the portal: the client opens or downloads each file of their own record,
every time a logged read through dossiers.access; the zorgverlener's URLs send a client to
the portal instead, and nobody reaches another client's file."""

from __future__ import annotations

from django.test import Client as HttpClient
from django.urls import reverse

from audit.models import AccessEvent
from dossiers import services
from dossiers.models import Attachment, Client
from tests.personas import (
    Cast,
    make_user,
    owner_access,
    register_client_with_dossier,
    verified_login,
)

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64 + b"canary-png-body"


def _attachment(cast: Cast, dossier=None) -> Attachment:
    return services.attachment_add(
        access=owner_access(dossier or cast.dossier),
        actor=cast.anna,
        title="canary-scan",
        content=PNG,
        content_type="image/png",
    )


def test_the_client_opens_and_downloads_an_attachment_each_time_logged(
    cast: Cast, as_user
) -> None:
    item = _attachment(cast)
    http = as_user(cast.bram)
    home = http.get(reverse("portal:home")).content.decode()
    shown = reverse("portal:attachment", args=[item.pk])
    download = reverse("portal:attachment_download", args=[item.pk])
    assert f'href="{shown}"' in home and f'href="{download}"' in home
    before = AccessEvent.objects.filter(object_id=str(item.pk)).count()

    opened = http.get(shown)
    assert opened.status_code == 200 and opened.content == PNG
    assert opened["Content-Type"] == "image/png"
    assert opened["Content-Disposition"].startswith("inline;")
    saved = http.get(download)
    assert saved.status_code == 200 and saved.content == PNG
    assert saved["Content-Disposition"].startswith("attachment;")

    reads = AccessEvent.objects.filter(object_id=str(item.pk)).order_by("occurred_at")
    assert reads.count() == before + 2
    for event in reads[before:]:
        assert event.action == "R" and event.basis == "self"
        assert event.object_type == "attachment" and event.outcome == "success"
        assert str(event.client_id) == str(cast.dossier.client_id)


def test_another_clients_attachment_is_a_logged_404(cast: Cast) -> None:
    other = register_client_with_dossier(cast.anna, family_name="Bezemer")
    cees = make_user("cees", "client", None)
    Client.objects.filter(pk=other.client_id).update(portal_user=cees)
    item = _attachment(cast)
    http = verified_login(HttpClient(), cees)
    for name in ("portal:attachment", "portal:attachment_download"):
        before = AccessEvent.objects.filter(outcome="denied").count()
        response = http.get(reverse(name, args=[item.pk]))
        assert response.status_code == 404
        assert b"canary-png-body" not in response.content
        assert AccessEvent.objects.filter(outcome="denied").count() == before + 1


def test_a_client_on_the_zorgverleners_pages_is_sent_to_the_portal(
    cast: Cast, as_user
) -> None:
    item = _attachment(cast)
    http = as_user(cast.bram)
    page = http.get(reverse("dossiers:dossier_detail", args=[cast.dossier.pk]))
    assert page.status_code == 302 and page["Location"] == reverse("portal:home")
    file = http.get(
        reverse("dossiers:attachment_download", args=[cast.dossier.pk, item.pk])
    )
    assert file.status_code == 302
    assert file["Location"] == reverse("portal:attachment_download", args=[item.pk])
    # A redirect shows nothing: the reads are logged by the portal page it leads to.
    assert not AccessEvent.objects.filter(
        actor_id=cast.bram.pk, event_type="dossier.view"
    ).exists()
    assert http.get(page["Location"]).status_code == 200
    assert AccessEvent.objects.filter(
        actor_id=cast.bram.pk, event_type="dossier.view"
    ).exists()


def test_the_zorgverlener_still_downloads_from_her_own_page(
    cast: Cast, as_user
) -> None:
    item = _attachment(cast)
    response = as_user(cast.anna).get(
        reverse("dossiers:attachment_download", args=[cast.dossier.pk, item.pk])
    )
    assert response.status_code == 200 and response.content == PNG
