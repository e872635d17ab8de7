from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand

from naikkelas.jobs.recovery import fail_orphans, worker_id


class Command(BaseCommand):
    help = (
        "Run the job worker (django-tasks' db_worker) under a host:pid name, after closing "
        "the jobs a killed worker on this host left running."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        closed = fail_orphans()
        if closed:
            self.stdout.write(f"{closed} job(s) left running by a stopped worker marked failed.")
        call_command("db_worker", "--no-reload", "--worker-id", worker_id())
