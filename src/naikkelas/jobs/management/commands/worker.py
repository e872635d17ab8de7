"""`naikkelas worker`: django-tasks' db_worker that outlives database errors.

db_worker stops at the first database error outside a task: on SQLite, a poll that
waits longer than the busy timeout while a large import holds the write lock ("database
is locked"); on PostgreSQL, a connection lost to a restart. Every later job would then
wait for ever. This worker closes its connections, waits (longer each time, up to a
minute) and polls again. A task's own errors stay the task's: it fails, with the reason.

Beside the queue, the worker runs the apps' periodic work (`jobs.periodic`: the refresh
of the leadership figures) in a thread of its own.
"""

import logging
import time
from argparse import ArgumentParser
from typing import Any

from django.db import connections
from django.db.utils import InterfaceError, OperationalError
from django_tasks_db.compat import DEFAULT_TASK_BACKEND_ALIAS, DEFAULT_TASK_QUEUE_NAME
from django_tasks_db.management.commands import db_worker

from naikkelas.jobs import periodic
from naikkelas.jobs.recovery import fail_orphans, worker_id

logger = logging.getLogger(__name__)

FIRST_DELAY = 1.0
MAX_DELAY = 60.0


class PatientWorker(db_worker.Worker):
    def run(self) -> None:
        delay = FIRST_DELAY
        while self.running:
            started = time.monotonic()
            try:
                return super().run()  # told to stop
            except (OperationalError, InterfaceError) as error:
                if time.monotonic() - started > MAX_DELAY:
                    delay = FIRST_DELAY  # it had been working: a new outage
                logger.warning(
                    "Job worker: database error (%s); polling again in %.0f s.", error, delay
                )
                connections.close_all()
                # A stop signal here ends the process (db_worker's handler exits when no
                # task runs), so the wait never delays a shutdown.
                time.sleep(delay)
                delay = min(delay * 2, MAX_DELAY)


class Command(db_worker.Command):
    help = (
        "Run the job worker (django-tasks' db_worker, retrying on database errors) under a "
        "host:pid name, after closing the jobs a killed worker on this host left running, "
        "and the apps' periodic work (the refresh of the leadership figures) beside it."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        """None of db_worker's options: the worker is named by host and process, which
        recovery reads, and never autoreloads, which would run jobs under another pid."""

    def handle(self, *args: Any, **options: Any) -> None:
        self.configure_logging(options["verbosity"])
        closed = fail_orphans()
        if closed:
            self.stdout.write(f"{closed} job(s) left running by a stopped worker marked failed.")
        worker = PatientWorker(
            queue_names=[DEFAULT_TASK_QUEUE_NAME],
            interval=1,
            batch=False,
            backend_name=DEFAULT_TASK_BACKEND_ALIAS,
            startup_delay=True,
            max_tasks=None,
            worker_id=worker_id(),
            excluded_queue_names=[],
        )
        worker.configure_signals()
        stop = periodic.start()
        try:
            worker.run()
        finally:
            stop.set()
