"""The daily job: which dossiers' retention ends (or ended), per practice. Destroys nothing."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from accounts.models import Practice
from dossiers.lifecycle import due_for_review


class Command(BaseCommand):
    help = "Meldt per praktijk welke dossiers hun bewaartermijn (bijna) bereikt hebben. Vernietigt niets."

    def handle(self, *args: Any, **options: Any) -> None:
        total = 0
        for practice in Practice.objects.order_by("name"):
            due = due_for_review(practice.pk)
            total += len(due)
            for dossier in due:
                self.stdout.write(
                    f"{practice.name}: dossier {dossier.pk} bewaren tot {dossier.retention_until:%Y-%m-%d}"
                )
        self.stdout.write(
            f"{total} dossier(s) om te beoordelen; er is niets vernietigd."
        )
