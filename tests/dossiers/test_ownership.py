"""Another zorgverlener gets 404 on someone else's client, and the attempt is logged."""

import pytest
from django.urls import reverse

from audit.models import AccessEvent
from tests.personas import Cast


def urls(cast: Cast) -> list[str]:
    d, c = cast.dossier.pk, cast.dossier.client_id
    return [
        reverse("dossiers:dossier_detail", args=[d]),
        reverse("dossiers:dossier_edit", args=[d]),
        reverse("dossiers:client_edit", args=[c]),
        reverse("dossiers:dossier_create", args=[c]),
        reverse("dossiers:entry_create", args=[d, "zorgmomenten"]),
        reverse("dossiers:attachment_create", args=[d]),
    ]


@pytest.mark.parametrize("method", ["get", "post"])
def test_it_answers_404_to_another_caregiver(cast: Cast, as_user, method: str) -> None:
    http = as_user(cast.carla)
    targets = (
        urls(cast) if method == "get" else urls(cast)[1:]
    )  # the page itself only GETs
    for url in targets:
        response = getattr(http, method)(url)
        assert response.status_code == 404, url
        assert "Dalen" not in response.content.decode()
    denied = AccessEvent.objects.filter(outcome="denied", actor_id=cast.carla.pk)
    assert denied.count() == len(targets)
    assert set(denied.values_list("client_id", flat=True)) == {cast.dossier.client_id}


def test_an_unknown_id_looks_the_same_as_a_forbidden_one(cast: Cast, as_user) -> None:
    http = as_user(cast.carla)
    forbidden = http.get(reverse("dossiers:dossier_detail", args=[cast.dossier.pk]))
    missing = http.get(
        reverse(
            "dossiers:dossier_detail", args=["00000000-0000-0000-0000-000000000000"]
        )
    )
    assert forbidden.status_code == missing.status_code == 404
    assert forbidden.content.replace(
        forbidden["X-Request-ID"].encode(), b""
    ) == missing.content.replace(missing["X-Request-ID"].encode(), b"")


def test_client_list_shows_only_own_practice(cast: Cast, as_user) -> None:
    response = as_user(cast.carla).get(reverse("dossiers:client_list"))
    assert response.status_code == 200
    assert "Dalen" not in response.content.decode()
    response = as_user(cast.anna).get(reverse("dossiers:client_list"))
    assert "Dalen" in response.content.decode()


def test_search_never_crosses_practices(cast: Cast, as_user) -> None:
    response = as_user(cast.carla).post(
        reverse("dossiers:client_list"), {"name": "Dalen"}
    )
    assert response.context["page"].paginator.count == 0
    response = as_user(cast.carla).post(
        reverse("dossiers:client_list"), {"date_of_birth": "1950-05-17"}
    )
    assert response.context["page"].paginator.count == 0


def test_anonymous_is_sent_to_login(cast: Cast, client) -> None:
    response = client.get(reverse("dossiers:dossier_detail", args=[cast.dossier.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
