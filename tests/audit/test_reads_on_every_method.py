"""Every response that shows dossier data writes a read event, whatever the method: a form
shown again after a failed POST or a conflict page shows stored, decrypted values, and is
logged like a GET (Wabvpz 15e, NEN 7513)."""

from __future__ import annotations

from django.urls import reverse

from audit.models import AccessEvent
from dossiers.models import Dossier
from tests.dossiers.test_concurrent_edit import edit_form
from tests.personas import Cast


def reads(cast: Cast) -> int:
    return AccessEvent.objects.filter(
        client_id=cast.dossier.client_id, action="R", outcome="success"
    ).count()


def test_the_edit_form_logs_a_read_on_get(cast: Cast, as_user) -> None:
    """Opening the edit form (GET) shows stored values and counts as one read."""
    http = as_user(cast.anna)
    before = reads(cast)
    response = http.get(reverse("dossiers:dossier_edit", args=[cast.dossier.pk]))
    assert response.status_code == 200
    assert reads(cast) == before + 1


def test_a_post_that_fails_validation_logs_a_read(cast: Cast, as_user) -> None:
    """A POST that fails validation shows the form again with the record: one read event."""
    http = as_user(cast.anna)
    dossier = Dossier.objects.get(pk=cast.dossier.pk)
    before = reads(cast)
    response = http.post(
        reverse("dossiers:dossier_edit", args=[dossier.pk]),
        edit_form(dossier, start_date="geen datum"),
    )
    assert response.status_code in (200, 400)
    assert reads(cast) == before + 1


def test_a_conflict_page_logs_a_read(cast: Cast, as_user) -> None:
    """A stale version shows the conflict page with the stored text: one read event, so
    repeating it over every entry cannot read the dossier without a trace."""
    http = as_user(cast.anna)
    url = reverse("dossiers:dossier_edit", args=[cast.dossier.pk])
    opened = Dossier.objects.get(pk=cast.dossier.pk)
    assert http.post(url, edit_form(opened, diagnosis="Eerste")).status_code == 302
    before = reads(cast)
    conflict = http.post(url, edit_form(opened, diagnosis="Tweede"))
    assert "intussen door iemand anders gewijzigd" in conflict.content.decode()
    assert reads(cast) == before + 1
    event = AccessEvent.objects.filter(
        client_id=cast.dossier.client_id, action="R"
    ).latest("occurred_at")
    assert event.object_type == "dossier"


def test_a_successful_write_logs_no_extra_read(cast: Cast, as_user) -> None:
    """A save that redirects shows nothing: its write event is the only trace."""
    http = as_user(cast.anna)
    opened = Dossier.objects.get(pk=cast.dossier.pk)
    before = reads(cast)
    response = http.post(
        reverse("dossiers:dossier_edit", args=[opened.pk]),
        edit_form(opened, diagnosis="Nieuw"),
    )
    assert response.status_code == 302
    assert reads(cast) == before


def test_the_client_form_shown_again_logs_a_read(cast: Cast, as_user) -> None:
    """The client's personal data form shown again after a bad POST: one read event."""
    http = as_user(cast.anna)
    before = reads(cast)
    response = http.post(
        reverse("dossiers:client_edit", args=[cast.dossier.client_id]), {"bsn": "123"}
    )
    assert response.status_code in (200, 400, 409)
    assert reads(cast) == before + 1
