"""Form parts every app uses: date and time inputs, plausible dates, safe text.

Project infrastructure: imports nothing from the apps, so every app's forms may use it.
"""

from __future__ import annotations

import datetime
import unicodedata
from typing import Any, ClassVar

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

MAX_TEXT = 20_000


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%H:%M")


def _check_text(value: str) -> None:
    """Refuse what cannot be stored faithfully: lone surrogates and control characters."""
    for ch in value:
        category = unicodedata.category(ch)
        if category == "Cs":
            raise ValidationError(
                _("De tekst bevat een ongeldig teken (losse surrogaat).")
            )
        if category == "Cc" and ch not in "\n\r\t":
            raise ValidationError(
                _(
                    "De tekst bevat een onzichtbaar stuurteken; verwijder het en probeer opnieuw."
                )
            )


EARLIEST_DATE = datetime.date(1900, 1, 1)
FUTURE_YEARS = 2


def _years_after(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


class PlausibleDate:
    """A validator: the date (or the date of a date-time) lies between 1 January 1900 and
    today plus `future_years` (0: not in the future). Today is taken when validating."""

    def __init__(self, future_years: int = FUTURE_YEARS) -> None:
        self.future_years = future_years

    def bounds(self) -> tuple[datetime.date, datetime.date]:
        return EARLIEST_DATE, _years_after(timezone.localdate(), self.future_years)

    def __call__(self, value: datetime.date | datetime.datetime) -> None:
        day = value.date() if isinstance(value, datetime.datetime) else value
        earliest, latest = self.bounds()
        if not earliest <= day <= latest:
            raise ValidationError(
                _("Vul een datum in tussen %(earliest)s en %(latest)s."),
                code="implausible_date",
                params={
                    "earliest": date_format(earliest, "j F Y"),
                    "latest": date_format(latest, "j F Y"),
                },
            )


class PlausibleDatesMixin:
    """Every date and date-time field: a plausible range, so no typed or requested date
    (9999-12-31, 0001-01-01) is stored or used in date arithmetic. A form names the fields
    whose future is longer or shorter in `date_future_years` (e.g. date of birth: 0)."""

    date_future_years: ClassVar[dict[str, int]] = {}
    DEFAULT_FUTURE_YEARS: ClassVar[dict[str, int]] = {"date_of_birth": 0}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        years = {**self.DEFAULT_FUTURE_YEARS, **self.date_future_years}
        for name, field in self.fields.items():  # type: ignore[attr-defined]
            if isinstance(field, forms.DateField | forms.DateTimeField):
                plausible = PlausibleDate(years.get(name, FUTURE_YEARS))
                field.validators.append(plausible)
                if type(field) is forms.DateField:  # the browser's date picker too
                    earliest, latest = plausible.bounds()
                    field.widget.attrs.setdefault("min", earliest.isoformat())
                    field.widget.attrs.setdefault("max", latest.isoformat())


class SafeTextMixin(PlausibleDatesMixin):
    """Every text field: a length limit and no unstorable characters; every date field a
    plausible range (PlausibleDatesMixin)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():  # type: ignore[attr-defined]
            if isinstance(field, forms.CharField):
                field.validators.append(_check_text)
                if field.max_length is None:
                    field.max_length = MAX_TEXT
                    field.validators.append(_max_text)
                    field.widget.attrs.setdefault("maxlength", str(MAX_TEXT))


def _max_text(value: str) -> None:
    if len(value) > MAX_TEXT:
        raise ValidationError(
            _("De tekst is te lang (maximaal %(max)s tekens).") % {"max": MAX_TEXT}
        )
