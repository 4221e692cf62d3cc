"""Passwords: refuse the common Dutch ones, and the product's or practice's own name.

Works offline: the lists live in this module and in Django's own common-password list.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

COMMON_DUTCH = {
    "welkom01!",
    "welkom01",
    "welkom123",
    "welkom2024",
    "welkom2025",
    "welkom2026",
    "wachtwoord",
    "wachtwoord1",
    "wachtwoord123",
    "wachtwoord01!",
    "zomer2024!",
    "zomer2025!",
    "winter2025!",
    "voorjaar2026",
    "najaar2026!",
    "amsterdam123",
    "rotterdam010",
    "feyenoord010",
    "ajax1900",
    "geheim123",
    "qwerty12345",
    "123456789012",
    "hallo123456",
    "zorgzorgzorg",
}
PRODUCT_NAMES = ("ecd", "clientendossier", "cliëntendossier", "zorgdossier")


class LocalBlocklistValidator:
    def validate(self, password: str, user: Any = None) -> None:
        lowered = password.lower()
        if lowered in COMMON_DUTCH or lowered.rstrip("!0123456789") in {
            "welkom",
            "wachtwoord",
            "zomer",
            "winter",
        }:
            raise ValidationError(
                _("Dit wachtwoord komt te veel voor. Kies een langere zin."),
                code="common",
            )
        names = list(PRODUCT_NAMES)
        practice = getattr(user, "practice", None)
        if practice is not None:
            names += [part.lower() for part in practice.name.split() if len(part) >= 4]
        if any(name in lowered for name in names):
            raise ValidationError(
                _(
                    "Gebruik niet de naam van het product of uw praktijk in uw wachtwoord."
                ),
                code="product_name",
            )

    def get_help_text(self) -> str:
        return _(
            "Geen veelgebruikt wachtwoord en niet de naam van het product of uw praktijk."
        )


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's own, with its message in Dutch: Django 5.2 changed the English text and
    its Dutch catalogue still has only the old one, so the error came out in English."""

    def get_error_message(self) -> str:
        return ngettext(
            "Dit wachtwoord is te kort: gebruik minstens %(min_length)d teken.",
            "Dit wachtwoord is te kort: gebruik minstens %(min_length)d tekens.",
            self.min_length,
        ) % {"min_length": self.min_length}
