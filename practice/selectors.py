"""Reads of the practice's public data that other apps show."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import OuterRef, Subquery

from accounts.models import Practice
from practice.models import PrivacyStatement


@dataclass(frozen=True)
class PracticeContact:
    name: str
    phone: str  # from the newest privacy statement; "" before the practice gave one

    @property
    def phone_link(self) -> str:
        """The number as a tel: link dials it: digits and a leading +."""
        return "".join(ch for ch in self.phone if ch.isdigit() or ch == "+")


def practice_contact(practice_id: Any) -> PracticeContact | None:
    """The name and phone number every portal page shows, in one query."""
    newest = PrivacyStatement.objects.filter(practice=OuterRef("pk")).order_by(
        "-version"
    )
    row = (
        Practice.objects.filter(pk=practice_id)
        .annotate(phone=Subquery(newest.values("phone")[:1]))
        .values_list("name", "phone")
        .first()
    )
    return PracticeContact(name=row[0], phone=row[1] or "") if row else None
