import time
from typing import Any

from django.core.management.base import BaseCommand

from naikkelas.graduation.engine import recompute


class Command(BaseCommand):
    help = "Recompute the size class and readiness of every business (one set-based statement)."

    def handle(self, *args: Any, **options: Any) -> None:
        start = time.perf_counter()
        rows = recompute()
        seconds = time.perf_counter() - start
        self.stdout.write(f"recomputed {rows:,} businesses in {seconds:.1f} s")
