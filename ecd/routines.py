"""Routine jobs (the audit check, the checkpoint, backups) say how they ended.

A command that mixes in `ReportsRoutine` sends `routine_finished` when it ends, whether it
succeeded or not; the practice's readiness overview listens and keeps the last result. The
signal keeps the commands free of any import of the app that shows them.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.dispatch import Signal

routine_finished = Signal()  # kwargs: routine (str), ok (bool), detail (str)


class ReportsRoutine(BaseCommand):
    routines: tuple[str, ...] = ()

    def routine_detail(self, options: dict[str, Any]) -> str:
        return ""

    def execute(self, *args: Any, **options: Any) -> Any:
        try:
            result = super().execute(*args, **options)
        except (SystemExit, CommandError) as exc:
            code = exc.code if isinstance(exc, SystemExit) else 1
            self._report(ok=not code, detail=str(exc) if code else "", options=options)
            raise
        self._report(ok=True, detail="", options=options)
        return result

    def _report(self, *, ok: bool, detail: str, options: dict[str, Any]) -> None:
        detail = (detail or self.routine_detail(options))[:200]
        for routine in self.routines:
            routine_finished.send(type(self), routine=routine, ok=ok, detail=detail)
