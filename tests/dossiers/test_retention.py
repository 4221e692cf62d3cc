"""Bewaartermijn (WGBO 7:454, Jeugdwet): twenty years from the last change, or longer with a reason."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from dossiers import lifecycle, services
from dossiers.models import Dossier, Goal
from tests.personas import Cast, owner_access, register_client_with_dossier


def _age(dossier: Dossier, *, last_change: datetime.date) -> Dossier:
    moment = timezone.make_aware(
        datetime.datetime.combine(last_change, datetime.time(12))
    )
    Dossier.objects.filter(pk=dossier.pk).update(last_changed_at=moment)
    return Dossier.objects.get(pk=dossier.pk)


def test_a_new_dossier_is_kept_twenty_years_from_today(cast: Cast) -> None:
    today = timezone.localdate()
    assert cast.dossier.retention_until == today.replace(year=today.year + 20)


@pytest.mark.parametrize("funding", ["wmo", "jeugdwet", "prive"])
def test_every_funding_basis_gets_twenty_years_from_the_last_change(
    cast: Cast, funding: str
) -> None:
    dossier = register_client_with_dossier(cast.anna, funding=funding)
    dossier = _age(dossier, last_change=datetime.date(2010, 3, 1))
    assert dossier.retention_until == datetime.date(2030, 3, 1)


def test_a_leap_day_change_ends_on_28_february_when_that_year_has_none(
    cast: Cast,
) -> None:
    dossier = _age(cast.dossier, last_change=datetime.date(2080, 2, 29))
    assert dossier.retention_until == datetime.date(2100, 2, 28)  # 2100 is no leap year


def test_a_change_in_the_dossier_moves_the_term(cast: Cast) -> None:
    old = _age(cast.dossier, last_change=datetime.date(2001, 6, 1))
    assert old.retention_until == datetime.date(2021, 6, 1)
    services.entry_add(
        access=owner_access(old),
        actor=cast.anna,
        model=Goal,
        data={"description": "Zelfstandig douchen"},
    )
    today = timezone.localdate()
    moved = Dossier.objects.get(pk=old.pk)
    assert moved.retention_until == today.replace(year=today.year + 20)


def test_an_extension_needs_a_later_date_and_a_reason(cast: Cast) -> None:
    access = owner_access(cast.dossier)
    term = cast.dossier.retention_until
    with pytest.raises(ValidationError):
        lifecycle.retention_extend(
            access=access, actor=cast.anna, until=term, reason="erfelijke aandoening"
        )
    with pytest.raises(ValidationError):
        lifecycle.retention_extend(
            access=access,
            actor=cast.anna,
            until=term + datetime.timedelta(days=1),
            reason="  ",
        )
    later = term.replace(year=term.year + 10)
    lifecycle.retention_extend(
        access=access, actor=cast.anna, until=later, reason="erfelijke aandoening"
    )
    stored = Dossier.objects.get(pk=cast.dossier.pk)
    assert stored.retention_until == later
    assert stored.retention_extension_reason == "erfelijke aandoening"
    with connection.cursor() as cursor:  # the reason may be clinical: stored encrypted
        cursor.execute(
            "SELECT retention_extension_reason FROM dossiers_dossier WHERE id = %s",
            [cast.dossier.pk.hex if connection.vendor == "sqlite" else cast.dossier.pk],
        )
        assert "erfelijke" not in cursor.fetchone()[0]


def test_an_extension_outlasts_a_later_change_only_if_it_is_later(cast: Cast) -> None:
    dossier = _age(cast.dossier, last_change=datetime.date(2001, 6, 1))
    lifecycle.retention_extend(
        access=owner_access(dossier),
        actor=cast.anna,
        until=datetime.date(2030, 1, 1),
        reason="lopende klachtprocedure",
    )
    dossier = Dossier.objects.get(pk=dossier.pk)
    assert dossier.retention_until == datetime.date(2030, 1, 1)
    dossier = _age(dossier, last_change=datetime.date(2015, 1, 1))
    assert dossier.retention_until == datetime.date(2035, 1, 1)


def test_the_screen_lists_what_expires_within_90_days_and_nothing_else(
    cast: Cast, as_user
) -> None:
    today = timezone.localdate()
    due = _age(cast.dossier, last_change=today.replace(year=today.year - 20))
    soon = register_client_with_dossier(cast.anna, family_name="Binnenkort")
    _age(
        soon,
        last_change=today.replace(year=today.year - 20) + datetime.timedelta(days=60),
    )
    later = register_client_with_dossier(cast.anna, family_name="Later")
    _age(
        later,
        last_change=today.replace(year=today.year - 20) + datetime.timedelta(days=120),
    )
    elsewhere = register_client_with_dossier(cast.carla, family_name="Elders")
    _age(elsewhere, last_change=datetime.date(1990, 1, 1))

    listed = lifecycle.due_for_review(cast.anna.practice_id)
    assert [d.pk for d in listed] == [due.pk, soon.pk]

    page = as_user(cast.anna).get(reverse("dossiers:retention_list")).content.decode()
    assert "Binnenkort" in page and "Dalen" in page
    assert "Later" not in page and "Elders" not in page


def test_the_daily_report_names_the_dossiers_and_destroys_nothing(
    cast: Cast, capsys
) -> None:
    _age(cast.dossier, last_change=datetime.date(2000, 1, 1))
    call_command("retention_report")
    out = capsys.readouterr().out
    assert str(cast.dossier.pk) in out
    assert "2020-01-01" in out
    assert "niets vernietigd" in out
    assert Dossier.objects.filter(pk=cast.dossier.pk).exists()


def test_extending_through_the_screen_is_logged(cast: Cast, as_user) -> None:
    from audit.models import AccessEvent

    http = as_user(cast.anna)
    url = reverse("dossiers:retention_extend", args=[cast.dossier.pk])
    bad = http.post(url, {"until": "gisteren", "reason": ""})
    assert bad.status_code == 200
    assert "datum" in bad.content.decode().lower()
    until = cast.dossier.retention_until.replace(
        year=cast.dossier.retention_until.year + 5
    )
    ok = http.post(url, {"until": until.isoformat(), "reason": "onderzoek loopt"})
    assert ok.status_code == 302
    assert AccessEvent.objects.filter(
        event_type="retention.extend", dossier_id=cast.dossier.pk
    ).exists()
