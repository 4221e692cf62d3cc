"""Vernietiging: clinical rows gone, data key shredded, tombstone and access events kept."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from audit.models import AccessEvent
from dossiers import lifecycle, services
from dossiers.lifecycle import DestructionGround
from dossiers.models import (
    CareMoment,
    Client,
    DestructionRecord,
    Dossier,
    Goal,
    OwnStatement,
    Revision,
)
from keystore import crypto
from keystore.models import DataKey
from portal.models import RequestKind, RequestStatus, RightsRequest
from tests.personas import Cast, owner_access


def expire(dossier: Dossier) -> None:
    Dossier.objects.filter(pk=dossier.pk).update(
        last_changed_at=timezone.now() - datetime.timedelta(days=366 * 21)
    )


def fill(cast: Cast) -> Goal:
    access = owner_access(cast.dossier)
    goal = services.entry_add(
        access=access, actor=cast.anna, model=Goal, data={"description": "Doel"}
    )
    services.entry_add(
        access=access,
        actor=cast.anna,
        model=CareMoment,
        data={
            "date": timezone.localdate(),
            "start_time": datetime.time(9),
            "end_time": datetime.time(10),
            "activities": "canary-zorgmoment-91c2",
            "results": "Goed gegaan",
        },
    )
    services.entry_update(
        access=access,
        actor=cast.anna,
        entry=goal,
        data={"description": "Doel, bijgesteld"},
        expected_version=goal.version,
        reason="typefout",
    )
    return goal


def _ciphertext_of_diagnosis(dossier: Dossier) -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT diagnosis FROM dossiers_dossier WHERE id = %s",
            [dossier.pk.hex if connection.vendor == "sqlite" else dossier.pk],
        )
        return cursor.fetchone()[0]


def test_destruction_leaves_no_clinical_row_and_no_readable_ciphertext(
    cast: Cast, django_capture_on_commit_callbacks
) -> None:
    fill(cast)
    expire(cast.dossier)
    client_id, dossier_id = cast.dossier.client_id, cast.dossier.pk
    key_ref = cast.dossier.key_ref
    token = _ciphertext_of_diagnosis(cast.dossier)  # what a backup would still hold
    events_before = AccessEvent.objects.filter(client_id=client_id).count()

    with django_capture_on_commit_callbacks(execute=True):
        tombstone = lifecycle.dossier_destroy(
            access=owner_access(cast.dossier),
            actor=cast.anna,
            ground=DestructionGround.TERM_EXPIRED,
        )

    assert not Client.objects.filter(pk=client_id).exists()
    assert not Dossier.objects.filter(pk=dossier_id).exists()
    for model in (Goal, CareMoment, OwnStatement):
        assert not model._base_manager.filter(dossier_id=dossier_id).exists()
    assert not Revision.objects.filter(client_id=client_id).exists()
    key = DataKey.objects.get(pk=key_ref)
    assert key.wrapped is None and key.destroyed_at is not None
    with pytest.raises(crypto.KeyDestroyedError):
        crypto.decrypt_text(
            token,
            key_ref=key_ref,
            aad=crypto.aad_for("dossiers_dossier", "diagnosis", dossier_id),
        )
    # The tombstone shows that, when, by whom and why; the access events stay.
    assert tombstone.client_ref == client_id and tombstone.dossier_ref == dossier_id
    assert tombstone.destroyed_by == cast.anna
    assert tombstone.legal_ground == DestructionGround.TERM_EXPIRED
    assert AccessEvent.objects.filter(client_id=client_id).count() == events_before + 1
    assert AccessEvent.objects.filter(
        event_type="dossier.destroy", client_id=client_id
    ).exists()
    # The client's portal account cannot log in any more.
    assert not User.objects.get(pk=cast.bram.pk).is_active


def test_no_destruction_before_the_term_without_a_granted_request(cast: Cast) -> None:
    with pytest.raises(ValidationError):
        lifecycle.dossier_destroy(
            access=owner_access(cast.dossier),
            actor=cast.anna,
            ground=DestructionGround.TERM_EXPIRED,
        )
    with pytest.raises(ValidationError):
        lifecycle.dossier_destroy(
            access=owner_access(cast.dossier),
            actor=cast.anna,
            ground=DestructionGround.CLIENT_REQUEST,
        )
    assert Dossier.objects.filter(pk=cast.dossier.pk).exists()


def _granted_destruction_request(cast: Cast) -> RightsRequest:
    from portal import services as portal_services

    filed = portal_services.request_file(
        access=owner_access(cast.dossier),
        actor=cast.bram,
        kind=RequestKind.DESTRUCTION,
        reason="Ik wil mijn dossier laten vernietigen.",
    )
    return portal_services.request_decide(
        actor=cast.anna,
        request=filed,
        status=RequestStatus.GRANTED,
        reason="Geen zwaarwegend belang van een ander.",
    )


def test_two_steps_in_the_screen_destroy_on_a_granted_client_request(
    cast: Cast, as_user, django_capture_on_commit_callbacks
) -> None:
    request = _granted_destruction_request(cast)
    http = as_user(cast.anna)
    url = reverse("dossiers:destroy", args=[cast.dossier.pk])
    step1 = {
        "ground": DestructionGround.CLIENT_REQUEST,
        "request_ref": str(request.pk),
        "note": "",
        "confirm": "vernietig",
    }
    wrong = http.post(url, step1)
    assert "Typ precies VERNIETIG" in wrong.content.decode()
    confirm = http.post(url, {**step1, "confirm": "VERNIETIG"})
    assert confirm.status_code == 200
    assert Dossier.objects.filter(pk=cast.dossier.pk).exists()  # nothing yet
    token = confirm.context["token"]
    with django_capture_on_commit_callbacks(execute=True):
        done = http.post(url, {"token": token})
    assert done.status_code == 302
    assert not Dossier.objects.filter(pk=cast.dossier.pk).exists()
    record = DestructionRecord.objects.get(client_ref=cast.dossier.client_id)
    assert record.rights_request_ref == request.pk
    listing = http.get(reverse("dossiers:destruction_list")).content.decode()
    assert str(cast.dossier.client_id) in listing
    assert "Dalen" not in listing  # the tombstone is pseudonymous
    # No screen brings it back: the old address is a logged 404.
    gone = http.get(reverse("dossiers:dossier_detail", args=[cast.dossier.pk]))
    assert gone.status_code == 404


def test_a_forged_or_stale_confirmation_destroys_nothing(cast: Cast, as_user) -> None:
    http = as_user(cast.anna)
    url = reverse("dossiers:destroy", args=[cast.dossier.pk])
    response = http.post(url, {"token": "forged"})
    assert response.status_code == 200
    assert "verlopen" in response.content.decode()
    assert Dossier.objects.filter(pk=cast.dossier.pk).exists()


def test_a_colleague_with_a_grant_cannot_destroy(cast: Cast, as_user) -> None:
    response = as_user(cast.carla).post(
        reverse("dossiers:destroy", args=[cast.dossier.pk]), {"token": "x"}
    )
    assert response.status_code == 404
    assert Dossier.objects.filter(pk=cast.dossier.pk).exists()


def test_verify_audit_still_holds_after_destruction(
    cast: Cast, django_capture_on_commit_callbacks
) -> None:
    from django.core.management import call_command

    expire(cast.dossier)
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.dossier_destroy(
            access=owner_access(cast.dossier),
            actor=cast.anna,
            ground=DestructionGround.TERM_EXPIRED,
        )
    call_command("verify_audit")
