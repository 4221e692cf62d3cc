"""Passwords: refuse common ones (English and Dutch) and the product's or practice's own name.

Works offline. The lists are files: the 20,000 common passwords Django ships, and the 30,000 most
frequent Dutch words in `accounts/data/common-passwords-nl.txt.gz` (made by
`scripts/make_dutch_password_list.py` from wordfreq). A password is common when it is on either list
once the digits and symbols around it are taken off ("Welkom2026!" is "welkom"), or when it is one
listed word said again and again ("zorgzorgzorg").
"""

from __future__ import annotations

import gzip
import re
from pathlib import Path
from typing import Any

from django.contrib.auth import password_validation
from django.contrib.auth.password_validation import CommonPasswordValidator
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

DUTCH_WORDS = Path(__file__).resolve().parent / "data" / "common-passwords-nl.txt.gz"
PRODUCT_NAMES = ("ecd", "clientendossier", "cliëntendossier", "zorgdossier")
_NOT_LETTERS_AROUND = re.compile(r"^[\W\d_]+|[\W\d_]+$")
_ONE_WORD_REPEATED = re.compile(r"^(.+?)\1+$")


class CommonDutchPasswordValidator(CommonPasswordValidator):
    """Django's common-password check over Django's list plus the Dutch word list."""

    def __init__(self) -> None:
        super().__init__()  # Django's own 20,000
        with gzip.open(DUTCH_WORDS, "rt", encoding="utf-8") as words:
            self.passwords |= {word.strip() for word in words if word.strip()}

    def candidates(self, password: str) -> set[str]:
        lowered = password.casefold().strip()
        core = _NOT_LETTERS_AROUND.sub("", lowered)
        found = {lowered, core}
        repeated = _ONE_WORD_REPEATED.match(core)
        if repeated:
            found.add(repeated.group(1))
        return found - {""}

    def validate(self, password: str, user: Any = None) -> None:
        if self.candidates(password) & self.passwords:
            raise ValidationError(self.get_error_message(), code="password_too_common")

    def get_error_message(self) -> str:
        return _(
            "Dit wachtwoord komt te veel voor: het is een bekend wachtwoord of een "
            "gewoon woord. Kies een zin van een paar woorden."
        )

    def get_help_text(self) -> str:
        return _(
            "Geen veelgebruikt wachtwoord of los woord; een zin van een paar woorden werkt goed."
        )


class ProductNameValidator:
    """The product's name and the practice's name are the first thing an attacker tries."""

    def validate(self, password: str, user: Any = None) -> None:
        lowered = password.casefold()
        names = list(PRODUCT_NAMES)
        practice = getattr(user, "practice", None)
        if practice is not None:
            names += [
                part.casefold() for part in practice.name.split() if len(part) >= 4
            ]
        if any(name in lowered for name in names):
            raise ValidationError(
                _(
                    "Gebruik niet de naam van het product of uw praktijk in uw wachtwoord."
                ),
                code="product_name",
            )

    def get_help_text(self) -> str:
        return _("Niet de naam van het product of uw praktijk.")


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's own, with its message in Dutch: Django 5.2 changed the English text and
    its Dutch catalogue still has only the old one, so the error came out in English."""

    def get_error_message(self) -> str:
        return ngettext(
            "Dit wachtwoord is te kort: gebruik minstens %(min_length)d teken.",
            "Dit wachtwoord is te kort: gebruik minstens %(min_length)d tekens.",
            self.min_length,
        ) % {"min_length": self.min_length}
