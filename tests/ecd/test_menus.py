"""The menus link to each role's pages, and only to those."""

from django.urls import reverse

from tests.personas import Cast


def test_the_caregiver_menu(cast: Cast, as_user) -> None:
    page = as_user(cast.anna).get(reverse("dossiers:client_list")).content.decode()
    for name in (
        "home",
        "dossiers:client_list",
        "practice:readiness",
        "portal:request_queue",
        "accounts:logout",
    ):
        assert f'"{reverse(name)}"' in page
    assert f'"{reverse("portal:home")}"' not in page


def test_the_client_menu(cast: Cast, as_user) -> None:
    page = as_user(cast.bram).get(reverse("portal:home")).content.decode()
    for name in ("portal:home", "portal:who_saw", "portal:requests", "portal:grants"):
        assert f'"{reverse(name)}"' in page
    assert f'"{reverse("dossiers:client_list")}"' not in page
