"""Sessions: idle timeout, absolute lifetime, logout, and ending other sessions."""

import time

import pytest
from django.contrib.sessions.models import Session
from django.test import Client as HttpClient
from django.urls import reverse

from accounts import middleware
from tests.personas import Cast, verified_login


@pytest.fixture
def clock(monkeypatch):
    """A frozen clock for the session middleware, moved by hand."""
    state = {"now": time.time()}
    monkeypatch.setattr(middleware, "_now", lambda: state["now"])
    return state


def test_fifteen_idle_minutes_end_the_session(cast: Cast, clock) -> None:
    http = verified_login(HttpClient(), cast.anna)
    url = reverse("dossiers:client_list")
    assert http.get(url).status_code == 200
    clock["now"] += 15 * 60 + 1
    response = http.get(url)
    assert (
        response.status_code == 302
        and response["Location"] == reverse("accounts:login") + "?verlopen=1"
    )
    assert http.get(url)["Location"].startswith(reverse("accounts:login"))


def test_activity_keeps_the_session_until_twelve_hours(cast: Cast, clock) -> None:
    http = verified_login(HttpClient(), cast.anna)
    url = reverse("dossiers:client_list")
    started = clock["now"]
    http.get(url)
    while clock["now"] + 600 < started + 12 * 3600:
        clock["now"] += 600
        assert http.get(url).status_code == 200
    clock["now"] = started + 12 * 3600 + 1
    assert http.get(url)["Location"] == reverse("accounts:login") + "?verlopen=1"


def test_logout_clears_the_browser_and_the_old_cookie_is_dead(cast: Cast) -> None:
    http = verified_login(HttpClient(), cast.anna)
    old = http.cookies["sessionid"].value
    response = http.post(reverse("accounts:logout"))
    assert response["Clear-Site-Data"] == '"cache", "cookies", "storage"'
    assert not Session.objects.filter(session_key=old).exists()
    replay = HttpClient()
    replay.cookies["sessionid"] = old
    assert replay.get(reverse("dossiers:client_list"))["Location"].startswith(
        reverse("accounts:login")
    )


def test_end_my_other_sessions(cast: Cast) -> None:
    laptop = verified_login(HttpClient(), cast.anna)
    phone = verified_login(HttpClient(), cast.anna)
    listed = laptop.get(reverse("accounts:session_list")).context["sessions"]
    assert len(listed) == 2
    laptop.post(reverse("accounts:session_end_others"))
    assert laptop.get(reverse("dossiers:client_list")).status_code == 200
    assert phone.get(reverse("dossiers:client_list"))["Location"].startswith(
        reverse("accounts:login")
    )


def test_the_session_page_lists_only_my_sessions(cast: Cast) -> None:
    verified_login(HttpClient(), cast.carla)
    mine = verified_login(HttpClient(), cast.anna)
    sessions = mine.get(reverse("accounts:session_list")).context["sessions"]
    assert {s.user_id for s in sessions} == {cast.anna.pk}


def test_a_password_change_needs_the_old_one_and_ends_other_sessions(
    cast: Cast,
) -> None:
    from tests.personas import PASSWORD

    here = verified_login(HttpClient(), cast.anna)
    there = verified_login(HttpClient(), cast.anna)
    new = "een totaal andere lange zin"
    response = here.post(
        reverse("accounts:password_change"),
        {"old_password": "", "new_password1": new, "new_password2": new},
    )
    assert (
        response.status_code == 200 and response.context["form"].errors["old_password"]
    )
    here.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert here.get(reverse("dossiers:client_list")).status_code == 200
    assert there.get(reverse("dossiers:client_list"))["Location"].startswith(
        reverse("accounts:login")
    )


def test_a_deactivated_user_is_refused_on_the_next_request(cast: Cast) -> None:
    http = verified_login(HttpClient(), cast.anna)
    cast.anna.is_active = False
    cast.anna.save()
    assert http.get(reverse("dossiers:client_list"))["Location"].startswith(
        reverse("accounts:login")
    )
