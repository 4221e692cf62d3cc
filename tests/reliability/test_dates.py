"""Dates: every form field accepts only a plausible range with a Dutch message, and no
stored or requested date (0001-01-01 … 9999-12-31, or garbage) answers 500 anywhere."""

from __future__ import annotations

import datetime
import importlib
import inspect
from typing import Any

import pytest
from django import forms
from django.db import IntegrityError, transaction
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, example, given, reject, settings
from hypothesis import strategies as st

from consent.models import AccessGrant, Representation
from consent.services import grant_create
from dossiers.models import (
    CareMoment,
    Client,
    Discussion,
    Dossier,
    Experience,
    Treatment,
    TreatmentConsent,
)
from ecd.forms import PlausibleDatesMixin
from keystore.fields import EncryptedFieldMixin
from portal.models import RightsRequest
from tests.dossiers.test_exports import full  # noqa: F401  (fixture)
from tests.personas import Cast, verified_login

FORM_MODULES = (
    "accounts.forms",
    "dossiers.log_forms",
    "consent.forms",
    "dossiers.forms",
    "dossiers.lifecycle_forms",
    "notifications.forms",
    "portal.forms",
    "practice.forms",
)
MESSAGE = "Vul een datum in tussen"
SLOW = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# How far into the future a field may go (years); everything else: two years.
FUTURE = {
    "date_of_birth": 0,
    ("RetentionForm", "until"): 100,
    "agreed_on": 0,
    "checked_on": 0,
    "document_date": 0,
    (
        "RepresentationForm",
        "valid_until",
    ): 16,  # a parent: up to a newborn's 16th birthday
}


def project_forms() -> list[type[forms.BaseForm]]:
    for module in FORM_MODULES:
        importlib.import_module(module)
    found: list[type[forms.BaseForm]] = []
    stack: list[type] = [forms.BaseForm]
    while stack:
        cls = stack.pop()
        stack.extend(cls.__subclasses__())
        if cls.__module__ in FORM_MODULES and cls not in found:
            found.append(cls)
    return found


def date_fields(cls: type[forms.BaseForm]) -> list[str]:
    return [
        name
        for name, field in cls.base_fields.items()
        if isinstance(field, forms.DateField | forms.DateTimeField)
    ]


DATED = [cls for cls in project_forms() if date_fields(cls)]


def latest(cls: type, name: str) -> datetime.date:
    years = FUTURE.get((cls.__name__, name), FUTURE.get(name, 2))
    today = timezone.localdate()
    try:
        return today.replace(year=today.year + years)
    except ValueError:
        return today.replace(year=today.year + years, day=28)


def test_every_form_with_a_date_field_checks_its_range() -> None:
    """A form added later with a date field but without the range check fails here."""
    assert len(DATED) >= 10  # the discovery itself works
    missing = [c.__name__ for c in DATED if not issubclass(c, PlausibleDatesMixin)]
    assert missing == []


@pytest.mark.parametrize("cls", DATED, ids=[c.__name__ for c in DATED])
def test_every_date_field_accepts_only_a_plausible_range(cls: type, cast: Cast) -> None:
    """Any date, 0001-01-01 to 9999-12-31, in any date field of any form: outside
    1900 … today + 2 years (0 for a birth date, 100 for a retention term) a Dutch error
    on that field, inside none; the form never raises."""
    names = date_fields(cls)

    @SLOW
    @given(name=st.sampled_from(names), day=st.dates())
    @example(name=names[0], day=datetime.date.max)
    @example(name=names[0], day=datetime.date.min)
    @example(name=names[0], day=datetime.date(1899, 12, 31))
    @example(name=names[0], day=datetime.date(1900, 1, 1))
    def attempt(name: str, day: datetime.date) -> None:
        field = cls.base_fields[name]
        value = day.isoformat()
        if isinstance(field, forms.DateTimeField):
            value += " 12:00"
        given_kwargs = {
            "practice_id": cast.anna.practice_id,
            "dossier": cast.dossier,
            "client": cast.dossier.client,
        }
        wanted = inspect.signature(cls.__init__).parameters
        kwargs = {k: v for k, v in given_kwargs.items() if k in wanted}
        form = cls(data={name: value}, **kwargs)
        errors = [str(e) for e in form.errors.get(name, [])]
        implausible = any(MESSAGE in e for e in errors)
        plausible = datetime.date(1900, 1, 1) <= day <= latest(cls, name)
        assert implausible == (not plausible), (cls.__name__, name, day, errors)

    attempt()


def _dates_or_garbage() -> st.SearchStrategy[str]:
    return st.one_of(
        st.dates().map(datetime.date.isoformat),
        st.sampled_from(["9999-12-31", "0001-01-01", "10000-01-01", "2026-02-30", ""]),
        st.text(max_size=12),
    )


def test_no_date_query_parameter_answers_500(cast: Cast) -> None:
    """?since= and ?until= on the dossier log (its CSV too) and the client's who-saw page,
    ?date_of_birth= on the client search: any value answers 200."""
    anna = verified_login(HttpClient(raise_request_exception=False), cast.anna)
    bram = verified_login(HttpClient(raise_request_exception=False), cast.bram)
    pages = [
        (
            anna,
            reverse("audit:dossier_log", args=[cast.dossier.pk]),
            ("since", "until"),
        ),
        (anna, reverse("audit:dossier_log_csv", args=[cast.dossier.pk]), ("until",)),
        (bram, reverse("portal:who_saw"), ("since", "until")),
        (anna, reverse("dossiers:client_list"), ("date_of_birth",)),
    ]

    @SLOW
    @given(
        page=st.sampled_from(pages),
        since=_dates_or_garbage(),
        until=_dates_or_garbage(),
    )
    @example(page=pages[0], since="0001-01-01", until="9999-12-31")
    @example(page=pages[2], since="0001-01-01", until="9999-12-31")
    @example(page=pages[3], since="", until="9999-12-31")
    def attempt(page: Any, since: str, until: str) -> None:
        http, url, names = page
        values = dict(zip(names, (since, until), strict=False))
        if names == ("until",):
            values = {"until": until}
        if names == ("date_of_birth",):
            values = {"date_of_birth": until, "name": "x"}
        response = http.get(url, values)
        assert response.status_code == 200, (url, values, response.status_code)

    attempt()


def _grant(cast: Cast) -> AccessGrant:
    today = timezone.localdate()
    return grant_create(
        actor=cast.anna,
        client=Client.objects.get(pk=cast.dossier.client_id),
        colleague=cast.dirk,
        data={
            "valid_from": today,
            "valid_until": today + datetime.timedelta(days=7),
            "consent_given_on": today,
            "consent_method": "mondeling",
        },
    )


def _representation(cast: Cast) -> Representation:
    """A mentor (no end) for bram, shown on the zorgverlener's page and bram's portal."""
    from tests.world import representation

    return representation(cast, Client.objects.get(pk=cast.dossier.client_id), None)


# (model, field) of every stored calendar date a page shows or computes with.
STORED = [
    (Client, "date_of_birth"),
    (Client, "id_checked_on"),
    (Dossier, "start_date"),
    (Dossier, "end_date"),
    (Dossier, "retention_extended_until"),
    (Treatment, "proposed_on"),
    (Discussion, "held_on"),
    (TreatmentConsent, "given_on"),
    (TreatmentConsent, "withdrawn_on"),
    (CareMoment, "date"),
    (Experience, "recorded_on"),
    (AccessGrant, "valid_from"),
    (AccessGrant, "valid_until"),
    (AccessGrant, "consent_given_on"),
    (RightsRequest, "deadline"),
    (Representation, "document_date"),
    (Representation, "valid_from"),
    (Representation, "valid_until"),
]


def _store_everywhere(model: Any, name: str, day: datetime.date) -> None:
    """Every row's `name` set to `day`; an encrypted date (a client's date of birth, #26) is
    sealed row by row, as nothing can bulk-update a ciphertext."""
    if isinstance(model._meta.get_field(name), EncryptedFieldMixin):
        for row in model._default_manager.all():
            setattr(row, name, day)
            row.save(update_fields=[name])
    else:
        model._default_manager.update(**{name: day})


def test_no_stored_date_answers_500(full: Cast) -> None:  # noqa: F811
    """A date saved before the range check, or by a colleague's script (9999-12-31 as a
    start date), leaves every page of the dossier and the portal working."""
    cast = full
    _grant(cast)
    _representation(cast)
    bram = verified_login(HttpClient(raise_request_exception=False), cast.bram)
    bram.post(reverse("portal:requests"), {"kind": "correctie", "reason": "graag"})
    anna = verified_login(HttpClient(raise_request_exception=False), cast.anna)
    pk = cast.dossier.pk
    pages = [
        (anna, reverse("dossiers:dossier_detail", args=[pk])),
        (anna, reverse("dossiers:client_list")),
        (anna, reverse("dossiers:retention_list")),
        (anna, reverse("dossiers:dossier_history", args=[pk])),
        (anna, reverse("dossiers:retention_extend", args=[pk])),
        (anna, reverse("dossiers:dossier_edit", args=[pk])),
        (anna, reverse("consent:grant_list", args=[pk])),
        (anna, reverse("consent:representation_list", args=[pk])),
        (anna, reverse("audit:dossier_log", args=[pk])),
        (anna, reverse("portal:request_queue")),
        (anna, reverse("dossiers:export_json", args=[pk])),
        (anna, reverse("dossiers:export_fhir", args=[pk])),
        (bram, reverse("portal:home")),
        (bram, reverse("portal:requests")),
        (bram, reverse("portal:grants")),
    ]

    @SLOW
    @given(target=st.sampled_from(STORED), day=st.dates())
    @example(target=(Dossier, "start_date"), day=datetime.date.max)
    @example(target=(Dossier, "start_date"), day=datetime.date.min)
    @example(target=(Client, "date_of_birth"), day=datetime.date.max)
    @example(target=(AccessGrant, "valid_until"), day=datetime.date.max)
    @example(target=(TreatmentConsent, "given_on"), day=datetime.date.min)
    def attempt(target: Any, day: datetime.date) -> None:
        model, name = target
        rows = model._default_manager.all()
        before = list(rows.values_list("pk", name))
        try:
            with transaction.atomic():
                _store_everywhere(model, name, day)
        except IntegrityError:  # the database's own checks refuse it: cannot be stored
            reject()
        try:
            for http, url in pages:
                response = http.get(url)
                assert response.status_code == 200, (
                    name,
                    day,
                    url,
                    response.status_code,
                )
        finally:
            for row_pk, value in before:
                model._default_manager.filter(pk=row_pk).update(**{name: value})

    attempt()


@pytest.mark.parametrize("day", [datetime.date.max, datetime.date.min])
def test_the_pdf_afschrift_is_made_with_dates_at_the_calendar_edges(
    full: Cast,  # noqa: F811
    day: datetime.date,
) -> None:
    """Every stored date at 9999-12-31 (or 0001-01-01): the worker still makes the PDF."""
    from django.core.management import call_command

    from dossiers.models import ExportJob

    cast = full
    for model, name in STORED:
        try:
            with transaction.atomic():
                _store_everywhere(model, name, day)
        except IntegrityError:
            pass  # the database's own checks refuse this one
    anna = verified_login(HttpClient(raise_request_exception=False), cast.anna)
    pk = cast.dossier.pk
    assert anna.get(reverse("dossiers:dossier_detail", args=[pk])).status_code == 200
    answer = anna.post(reverse("dossiers:export_pdf", args=[pk]), {"protect": ""})
    assert answer.status_code == 200
    call_command("run_exports", "--once")
    assert ExportJob.objects.get(pk=answer.context["job"].pk).status == "klaar"


def test_an_implausible_period_on_the_log_pages_gets_a_dutch_message(
    cast: Cast,
) -> None:
    """?until=9999-12-31 answers the page with the reason, not a 500."""
    anna = verified_login(HttpClient(raise_request_exception=False), cast.anna)
    bram = verified_login(HttpClient(raise_request_exception=False), cast.bram)
    for http, url in (
        (anna, reverse("audit:dossier_log", args=[cast.dossier.pk])),
        (bram, reverse("portal:who_saw")),
    ):
        response = http.get(url, {"until": "9999-12-31"})
        assert response.status_code == 200
        assert MESSAGE in response.content.decode(), url
