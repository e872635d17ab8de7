import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from naikkelas.graduation.engine import recompute
from naikkelas.graduation.tasks import recompute_registry
from naikkelas.jobs.models import JobKind
from naikkelas.jobs.services import start_job


class Command(BaseCommand):
    help = "Recompute the size class and readiness of every business (set-based SQL)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--background",
            action="store_true",
            help="Queue the recompute as a job for the worker (naikkelas db_worker).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["background"]:
            job = start_job(None, JobKind.RECOMPUTE, recompute_registry)
            self.stdout.write(f"queued job {job.pk}")
            return
        start = time.perf_counter()
        changed = recompute()
        seconds = time.perf_counter() - start
        self.stdout.write(f"recomputed every business in {seconds:.1f} s; {changed:,} changed")
