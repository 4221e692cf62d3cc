"""Oversized requests are refused before they cost anything: a clear Dutch 400 page."""

from django.urls import reverse

from tests.personas import Cast


def test_ten_thousand_fields_are_refused(cast: Cast, as_user) -> None:
    http = as_user(cast.anna)
    http.raise_request_exception = False
    data = {f"veld{i}": "x" for i in range(10_000)}
    response = http.post(reverse("dossiers:client_create"), data)
    assert response.status_code == 400
    assert "Ongeldig verzoek" in response.content.decode()


def test_a_20_mb_body_to_an_ordinary_form_is_refused(cast: Cast, as_user) -> None:
    http = as_user(cast.anna)
    http.raise_request_exception = False
    body = "description=" + "a" * (20 * 1024 * 1024)
    response = http.post(
        reverse("dossiers:entry_create", args=[cast.dossier.pk, "doelen"]),
        body,
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400
    assert "Ongeldig verzoek" in response.content.decode()


def test_a_refused_body_stores_nothing(cast: Cast, as_user) -> None:
    from dossiers.models import Goal

    http = as_user(cast.anna)
    http.raise_request_exception = False
    http.post(
        reverse("dossiers:entry_create", args=[cast.dossier.pk, "doelen"]),
        "description=" + "b" * (3 * 1024 * 1024),
        content_type="application/x-www-form-urlencoded",
    )
    assert not Goal.objects.filter(dossier=cast.dossier).exists()
