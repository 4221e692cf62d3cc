"""Colleague access needs the client's recorded consent, and ends on the next request when revoked."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from guardian.shortcuts import get_perms

from audit.models import AccessEvent
from consent.models import AccessGrant
from consent.services import grant_create, grant_revoke
from dossiers.models import Client
from tests.personas import Cast, register_client_with_dossier, verified_login


def grant_form(**overrides: str) -> dict[str, str]:
    today = timezone.localdate()
    data = {
        "colleague_ref": "dirk",
        "can_write": "",
        "valid_from": today.isoformat(),
        "valid_until": (today + datetime.timedelta(days=14)).isoformat(),
        "consent_given_on": today.isoformat(),
        "consent_method": "schriftelijk",
        "consent_note": "formulier in map",
    }
    data.update(overrides)
    return data


def test_without_recorded_consent_no_grant_is_made(cast: Cast, as_user) -> None:
    url = reverse("consent:grant_list", args=[cast.dossier.pk])
    response = as_user(cast.anna).post(
        url, grant_form(consent_given_on="", consent_method="")
    )
    assert response.status_code == 200
    assert response.context["form"].errors["consent_given_on"]
    assert not AccessGrant.objects.exists()
    client = Client.objects.get(pk=cast.dossier.client_id)
    with pytest.raises(ValidationError):
        grant_create(
            actor=cast.anna,
            client=client,
            colleague=cast.dirk,
            data={
                "valid_from": timezone.localdate(),
                "valid_until": timezone.localdate(),
            },
        )


def test_a_grant_opens_the_dossier_read_only_and_logs_the_grant_id(
    cast: Cast, as_user
) -> None:
    as_user(cast.anna).post(
        reverse("consent:grant_list", args=[cast.dossier.pk]), grant_form()
    )
    grant = AccessGrant.objects.get()
    client = Client.objects.get(pk=cast.dossier.client_id)
    assert set(get_perms(cast.dirk, client)) == {"view_client"}
    http = as_user(cast.dirk)
    assert (
        http.get(reverse("dossiers:dossier_detail", args=[cast.dossier.pk])).status_code
        == 200
    )
    event = AccessEvent.objects.filter(
        actor_id=cast.dirk.pk, event_type="dossier.view"
    ).get()
    assert (event.basis, event.basis_ref) == ("grant", str(grant.pk))
    assert event.checks["toestemming"] == "ok"
    assert (
        http.get(reverse("dossiers:dossier_edit", args=[cast.dossier.pk])).status_code
        == 404
    )
    assert (
        AccessEvent.objects.filter(
            event_type="grant.create", basis_ref=str(grant.pk)
        ).count()
        == 1
    )


def test_revocation_takes_effect_on_the_next_request(cast: Cast, as_user) -> None:
    as_user(cast.anna).post(
        reverse("consent:grant_list", args=[cast.dossier.pk]), grant_form()
    )
    grant = AccessGrant.objects.get()
    from django.test import Client as HttpClient

    dirk = HttpClient()
    verified_login(dirk, cast.dirk)
    url = reverse("dossiers:dossier_detail", args=[cast.dossier.pk])
    assert dirk.get(url).status_code == 200
    anna = HttpClient()
    verified_login(anna, cast.anna)
    anna.post(reverse("consent:grant_revoke", args=[cast.dossier.pk, grant.pk]))
    response = dirk.get(url)  # same session
    assert response.status_code == 404
    assert AccessEvent.objects.filter(event_type="grant.revoke").count() == 1
    assert get_perms(cast.dirk, Client.objects.get(pk=cast.dossier.client_id)) == []


def test_an_expired_grant_is_refused(cast: Cast, as_user) -> None:
    client = Client.objects.get(pk=cast.dossier.client_id)
    today = timezone.localdate()
    grant = grant_create(
        actor=cast.anna,
        client=client,
        colleague=cast.dirk,
        data={
            "valid_from": today,
            "valid_until": today,
            "consent_given_on": today,
            "consent_method": "mondeling",
        },
    )
    http = as_user(cast.dirk)
    url = reverse("dossiers:dossier_detail", args=[cast.dossier.pk])
    assert http.get(url).status_code == 200
    AccessGrant.objects.filter(pk=grant.pk).update(
        valid_until=today - datetime.timedelta(days=1),
        valid_from=today - datetime.timedelta(days=2),
    )
    assert http.get(url).status_code == 404


def test_a_colleague_never_reaches_another_client_of_the_same_practice(
    cast: Cast, as_user
) -> None:
    as_user(cast.anna).post(
        reverse("consent:grant_list", args=[cast.dossier.pk]), grant_form()
    )
    other = register_client_with_dossier(cast.anna, family_name="Anders")
    http = as_user(cast.dirk)
    assert (
        http.get(reverse("dossiers:dossier_detail", args=[other.pk])).status_code == 404
    )
    names = [
        c.family_name for c in http.get(reverse("dossiers:client_list")).context["page"]
    ]
    assert names == ["Dalen"]


def test_a_write_grant_allows_editing(cast: Cast, as_user) -> None:
    as_user(cast.anna).post(
        reverse("consent:grant_list", args=[cast.dossier.pk]),
        grant_form(can_write="on"),
    )
    assert (
        as_user(cast.dirk)
        .get(reverse("dossiers:dossier_edit", args=[cast.dossier.pk]))
        .status_code
        == 200
    )


def test_revoking_one_grant_keeps_another_active_one(cast: Cast) -> None:
    client = Client.objects.get(pk=cast.dossier.client_id)
    today = timezone.localdate()
    data = {
        "valid_from": today,
        "valid_until": today,
        "consent_given_on": today,
        "consent_method": "mondeling",
    }
    first = grant_create(
        actor=cast.anna, client=client, colleague=cast.dirk, data=dict(data)
    )
    grant_create(actor=cast.anna, client=client, colleague=cast.dirk, data=dict(data))
    grant_revoke(actor=cast.anna, grant=first)
    assert "view_client" in get_perms(cast.dirk, client)


def test_a_grant_to_someone_in_the_own_practice_is_refused(cast: Cast, as_user) -> None:
    response = as_user(cast.anna).post(
        reverse("consent:grant_list", args=[cast.dossier.pk]),
        grant_form(colleague_ref="anna"),
    )
    assert (
        "Geen zorgverlener van een andere praktijk"
        in response.context["form"].errors["colleague_ref"][0]
    )
