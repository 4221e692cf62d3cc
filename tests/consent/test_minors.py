"""Minors (WGBO 7:447, 7:450, 7:457): under 12 only the parents or guardian use the
portal; from 12 to 15 the child and the parents both, unless the zorgverlener refused a
parent's access; from 16 the child alone. Curators, mentors and authorised persons are not
bound by age."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from accounts.models import Role
from consent.models import Representation, age_on, birthday
from consent.services import representation_create, representation_refuse
from dossiers.models import Client
from tests.personas import Cast, make_user, register_client_with_dossier, verified_login
from tests.world import representation, years_ago

# age: (the child's own account, a parent or guardian, a mentor)
RULES = {10: (404, 200, 200), 14: (200, 200, 200), 17: (200, 404, 200)}


def _child(cast: Cast, age: int) -> Client:
    dossier = register_client_with_dossier(
        cast.anna, family_name="Kind", given_names="Sam", date_of_birth=years_ago(age)
    )
    child = Client.objects.get(pk=dossier.client_id)
    own = make_user(f"kind{age}", Role.CLIENT, None, name="Sam Kind")
    Client.objects.filter(pk=child.pk).update(portal_user=own)
    return Client.objects.select_related("portal_user").get(pk=child.pk)


def _parent(cast: Cast, child: Client, username: str = "ouder") -> Representation:
    """A parent registered while the child was younger; the window is stretched past the
    16th birthday only in the database, to show that the age rule itself ends it."""
    user = make_user(username, Role.CLIENT, None, name="Olga Ouder")
    born = child.date_of_birth
    found = Representation(
        practice_id=child.practice_id,
        client=child,
        key_ref=child.key_ref,
        kind="ouder",
        name="Olga Ouder",
        document_kind="gezag",
        document_reference="gezagsregister",
        document_date=born,
        valid_from=born,
        valid_until=born.replace(year=born.year + 30),
        user=user,
        created_by=cast.anna,
    )
    found.save()
    return found


def _status(user, name: str = "portal:home") -> int:
    return verified_login(HttpClient(), user).get(reverse(name)).status_code


@pytest.mark.parametrize("age", sorted(RULES))
def test_who_uses_the_portal_follows_the_childs_age(cast: Cast, age: int) -> None:
    child = _child(cast, age)
    parent = _parent(cast, child)
    mentor = make_user("mentor", Role.CLIENT, None, name="Mia Mentor")
    representation(cast, child, mentor)
    own, by_parent, by_mentor = RULES[age]
    assert _status(child.portal_user) == own
    assert _status(parent.user) == by_parent
    assert _status(mentor) == by_mentor
    export = reverse("dossiers:export_json", args=[child.dossier.pk])
    assert verified_login(HttpClient(), parent.user).get(export).status_code == (
        by_parent
    )


def test_a_refused_parent_of_a_14_year_old_is_denied_until_the_refusal_is_lifted(
    cast: Cast,
) -> None:
    child = _child(cast, 14)
    parent = _parent(cast, child)
    other = _parent(cast, child, "ouder2")
    representation_refuse(
        actor=cast.anna, representation=parent, refused=True, reason="schadelijk"
    )
    assert _status(parent.user) == 404
    assert _status(other.user) == 200  # the other parent keeps access
    assert _status(child.portal_user) == 200
    grants = verified_login(HttpClient(), child.portal_user).get(
        reverse("portal:grants")
    )
    assert "geen toegang tot uw dossier" in grants.content.decode()
    assert (
        "schadelijk" not in grants.content.decode()
    )  # the reason is the zorgverlener's
    representation_refuse(actor=cast.anna, representation=parent, refused=False)
    assert _status(parent.user) == 200


@pytest.mark.parametrize("age", [10, 17])
def test_a_refusal_is_only_for_a_parent_of_a_child_of_12_to_15(
    cast: Cast, age: int
) -> None:
    parent = _parent(cast, _child(cast, age))
    with pytest.raises(ValidationError):
        representation_refuse(
            actor=cast.anna, representation=parent, refused=True, reason="x"
        )


def test_the_refusal_page_records_the_zorgverleners_reason(cast: Cast) -> None:
    child = _child(cast, 14)
    parent = _parent(cast, child)
    anna = verified_login(HttpClient(), cast.anna)
    url = reverse("consent:representation_refusal", args=[child.dossier.pk, parent.pk])
    missing = anna.post(url, {"refused": "on", "reason": ""})
    assert missing.status_code == 200
    assert "Leg vast waarom" in missing.content.decode()
    done = anna.post(url, {"refused": "on", "reason": "zou het kind schaden"})
    assert done.status_code == 302
    parent.refresh_from_db()
    assert parent.refused_at is not None
    assert parent.refusal_reason == "zou het kind schaden"


def _data(**overrides) -> dict:
    today = timezone.localdate()
    data = {
        "kind": "ouder",
        "name": "Olga Ouder",
        "document_kind": "gezag",
        "document_reference": "gezagsregister",
        "document_date": today,
        "valid_from": today,
        "valid_until": None,
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("age", sorted(RULES))
def test_a_parent_is_registered_only_for_a_child_under_16_and_until_the_16th_birthday(
    cast: Cast, age: int
) -> None:
    child = _child(cast, age)
    sixteen = birthday(child.date_of_birth, 16)
    with pytest.raises(ValidationError):  # no end
        representation_create(actor=cast.anna, client=child, data=_data())
    if age >= 16:
        with pytest.raises(ValidationError):
            representation_create(
                actor=cast.anna,
                client=child,
                data=_data(valid_until=timezone.localdate()),
            )
        return
    with pytest.raises(ValidationError):
        representation_create(
            actor=cast.anna,
            client=child,
            data=_data(valid_until=sixteen + datetime.timedelta(days=1)),
        )
    made = representation_create(
        actor=cast.anna, client=child, data=_data(valid_until=sixteen)
    )
    assert made.valid_until == sixteen
    # a curator or mentor needs no end and is not bound by age
    representation_create(
        actor=cast.anna,
        client=child,
        data=_data(kind="curator", document_kind="beschikking"),
    )


def test_the_zorgverlener_gets_a_dutch_message_and_keeps_what_she_typed(
    cast: Cast,
) -> None:
    child = _child(cast, 17)
    anna = verified_login(HttpClient(), cast.anna)
    url = reverse("consent:representation_list", args=[child.dossier.pk])
    data = _data(valid_until=timezone.localdate() + datetime.timedelta(days=30))
    response = anna.post(url, {k: v or "" for k, v in data.items()})
    assert response.status_code == 200
    text = response.content.decode()
    assert "alleen een kind jonger dan 16" in text
    assert "gezagsregister" in text  # nothing lost
    assert not Representation.objects.exists()
    ok = anna.post(
        url,
        {
            **{k: v or "" for k, v in data.items()},
            "kind": "mentor",
            "document_kind": "beschikking",
        },
    )
    assert ok.status_code == 302 and Representation.objects.get().kind == "mentor"


@given(
    born=st.dates(datetime.date(1900, 1, 1), datetime.date(2090, 12, 31)),
    years=st.integers(0, 100),
)
def test_a_birthday_is_the_day_the_age_goes_up(born: datetime.date, years: int) -> None:
    day = birthday(born, years)
    assert age_on(born, day) == years
    if years:
        assert age_on(born, day - datetime.timedelta(days=1)) == years - 1


def test_a_client_whose_parent_role_is_refused_reaches_the_own_record_without_a_loop(
    cast: Cast,
) -> None:
    """Bram is a client and a refused parent of a 14-year-old: two candidates, one valid;
    the choice page picks the own record by itself instead of sending him round."""
    child = _child(cast, 14)
    parent = _parent(cast, child)
    Representation.objects.filter(pk=parent.pk).update(user=cast.bram)
    parent.refresh_from_db()
    representation_refuse(
        actor=cast.anna, representation=parent, refused=True, reason="schadelijk"
    )
    http = verified_login(HttpClient(), cast.bram)
    first = http.get(reverse("portal:home"))
    assert first["Location"] == reverse("portal:choose")
    chosen = http.get(first["Location"])
    assert chosen["Location"] == reverse("portal:home")
    page = http.get(reverse("portal:home"))
    assert page.status_code == 200 and page.context["dossier"].pk == cast.dossier.pk
    assert "Iemand anders kiezen" not in page.content.decode()
