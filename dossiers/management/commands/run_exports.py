"""The background worker for PDF afschriften (started by `make run` and in compose)."""

from __future__ import annotations

import logging
import time
from typing import Any

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from dossiers.export_services import next_job, pdf_job_run, purge_old_files

log = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Maakt PDF-afschriften op de achtergrond."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--once", action="store_true", help="Verwerk wat er ligt en stop."
        )
        parser.add_argument("--interval", type=float, default=1.0)

    def handle(self, *args: Any, **options: Any) -> None:
        while True:
            job = next_job()
            if job is not None:
                try:
                    pdf_job_run(job)
                except Exception:  # the job is marked failed; the worker goes on
                    log.exception("afschrift %s mislukt", job.pk)
                continue
            purge_old_files()
            if options["once"]:
                return
            time.sleep(options["interval"])
            close_old_connections()  # between rounds only: a long-lived worker must not keep a dead connection
