"""Every answer that shows dossier data is a logged read, whatever the method: a form
shown again after a failed POST and the conflict page show stored data, and are logged."""

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from audit.models import AccessEvent
from dossiers.models import Dossier
from tests.consent.test_authorization_matrix import ACTORS, MATRIX
from tests.dossiers.test_concurrent_edit import edit_form
from tests.personas import Cast, verified_login
from tests.routes import all_routes
from tests.world import make_world

OWNER = ACTORS.index("owner")
RECORD_KWARGS = {"dossier_id", "client_id"}


def reads_of(client_id) -> int:
    return AccessEvent.objects.filter(client_id=client_id, action="R").count()


def test_the_conflict_page_is_a_logged_read(cast: Cast, as_user) -> None:
    url = reverse("dossiers:dossier_edit", args=[cast.dossier.pk])
    http = as_user(cast.anna)
    opened = Dossier.objects.get(pk=cast.dossier.pk)
    http.post(url, edit_form(opened, diagnosis="Eerste tab"))
    before = reads_of(cast.dossier.client_id)
    conflict = http.post(url, edit_form(opened, diagnosis="Tweede tab"))
    assert "Eerste tab" in conflict.content.decode()  # the stored text is shown
    assert reads_of(cast.dossier.client_id) == before + 1
    event = AccessEvent.objects.filter(action="R").latest("id")
    assert (event.actor_id, event.client_id) == (cast.anna.pk, cast.dossier.client_id)


def test_a_saved_post_that_redirects_logs_no_read(cast: Cast, as_user) -> None:
    url = reverse("dossiers:dossier_edit", args=[cast.dossier.pk])
    opened = Dossier.objects.get(pk=cast.dossier.pk)
    before = reads_of(cast.dossier.client_id)
    saved = as_user(cast.anna).post(url, edit_form(opened, diagnosis="Nieuw"))
    assert saved.status_code == 302
    assert reads_of(cast.dossier.client_id) == before


@pytest.mark.parametrize(
    "route",
    [
        r
        for r in all_routes()
        if RECORD_KWARGS & set(r.kwargs) and MATRIX[r.name][1][OWNER] == "A"
    ],
    ids=lambda r: r.name,
)
def test_every_record_page_answering_a_post_logs_a_read(route) -> None:
    """Each view of a record that answers a POST with a page (an empty form shown again
    with its errors, and the stored values) writes one read event for that client."""
    world = make_world()
    http = verified_login(HttpClient(), world.cast.anna)
    client_id = world.cast.dossier.client_id
    before = reads_of(client_id)
    answer = http.post(route.url(world.samples), {})
    assert answer.status_code == 200 and answer["Content-Type"].startswith("text/html")
    assert reads_of(client_id) == before + 1
