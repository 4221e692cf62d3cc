"""Dutch identifiers: BSN (elfproef) and AGB-code."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def normalise_bsn(value: str) -> str:
    digits = "".join(ch for ch in value if not ch.isspace() and ch not in ".-")
    if len(digits) == 8 and digits.isdigit():
        digits = "0" + digits
    return digits


def is_valid_bsn(value: str) -> bool:
    """The 11-test: 9·d1 + 8·d2 + … + 2·d8 − d9 ≡ 0 (mod 11), and not all zeros."""
    if len(value) != 9 or not value.isascii() or not value.isdigit() or int(value) == 0:
        return False
    weights = (9, 8, 7, 6, 5, 4, 3, 2, -1)
    return sum(w * int(d) for w, d in zip(weights, value, strict=True)) % 11 == 0


def validate_bsn(value: str) -> None:
    digits = normalise_bsn(value)
    if len(digits) != 9 or not digits.isascii() or not digits.isdigit():
        raise ValidationError(
            _("Een BSN bestaat uit 9 cijfers (of 8, dan wordt er een 0 voor gezet).")
        )
    if not is_valid_bsn(digits):
        raise ValidationError(
            _("Dit BSN klopt niet: het voldoet niet aan de elfproef.")
        )


def validate_agb(value: str) -> None:
    if len(value) != 8 or not value.isascii() or not value.isdigit():
        raise ValidationError(_("Een AGB-code bestaat uit precies 8 cijfers."))


def validate_birth_date(value: datetime.date) -> None:
    if value < datetime.date(1900, 1, 1):
        raise ValidationError(_("Een geboortedatum vóór 1900 is niet mogelijk."))
    if value > timezone.localdate():
        raise ValidationError(_("Een geboortedatum kan niet in de toekomst liggen."))
