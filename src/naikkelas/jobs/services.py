"""Starting background jobs and recording how they go. Tasks call `running`."""

import errno
import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks.base import Task

from naikkelas.accounts.models import User
from naikkelas.core import audit
from naikkelas.core.errors import DomainError
from naikkelas.jobs.models import Job, JobStatus, files_dir

# Progress is written at most this often (seconds), so a fast loop does not spend its
# time updating its own row.
PROGRESS_EVERY = 1.0


@transaction.atomic
def start_job(actor: User | None, kind: str, task: Task[..., Any], **kwargs: Any) -> Job:
    """Record a job and queue its task in the same transaction: the worker sees both or
    neither."""
    authenticated = actor is not None and actor.is_authenticated
    job = Job.objects.create(kind=kind, requested_by=actor if authenticated else None)
    result = task.enqueue(job_id=str(job.pk), **kwargs)
    job.task_id = str(result.id)
    job.save(update_fields=["task_id"])
    audit.record(actor, "job.started", job, note=kind)
    return job


class Progress:
    """What a running task reports: how far it is and, at the end, its result."""

    def __init__(self, job: Job) -> None:
        self.job = job
        self.result: dict[str, Any] = {}
        self._written = 0.0

    def output(self, suffix: str, download_name: str) -> Path:
        """Where to write the file this job produces; it is offered for download once the
        job is done.

        The path is a temporary name that takes the file's own only when the job
        succeeds: a job that fails part-way (the disk full, say) leaves nothing half
        written to be downloaded or mistaken for a complete file."""
        directory = files_dir()
        directory.mkdir(parents=True, exist_ok=True)
        self.job.file, self.job.file_name = f"{self.job.pk}{suffix}", download_name
        return self.job.partial_path

    def advance(self, done: int, total: int | None = None) -> None:
        self.job.done = done
        if total is not None:
            self.job.total = total
        now = time.monotonic()
        if now - self._written >= PROGRESS_EVERY or done == self.job.total:
            self._written = now
            # Written beside the job's files, not to its row: the task may be inside a
            # transaction nobody else can see into (an import is one).
            path = self.job.progress_path
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_suffix(".tmp")
            partial.write_text(json.dumps([done, self.job.total]))
            partial.replace(path)


@contextmanager
def running(job_id: str) -> Iterator[Progress]:
    """Mark the job running for the body's duration, then done with the body's result or
    failed with the reason."""
    job = Job.objects.get(pk=job_id)
    job.status, job.started_at = JobStatus.RUNNING, timezone.now()
    job.save(update_fields=["status", "started_at"])
    progress = Progress(job)
    try:
        yield progress
    except Exception as e:
        job.progress_path.unlink(missing_ok=True)
        job.remove_partial_file()
        job.status, job.finished_at = JobStatus.FAILED, timezone.now()
        job.error = _failure_message(e)
        job.save(update_fields=["status", "finished_at", "error", "done", "total"])
        raise
    job.progress_path.unlink(missing_ok=True)
    if job.file and job.partial_path.exists():
        job.partial_path.replace(job.file_path)
    job.status, job.finished_at = JobStatus.DONE, timezone.now()
    if job.total is not None:
        job.done = job.total
    job.result = progress.result
    job.save(
        update_fields=["status", "finished_at", "done", "total", "result", "file", "file_name"]
    )


def _failure_message(error: Exception) -> str:
    if isinstance(error, DomainError):
        return str(error.message)
    if isinstance(error, OSError) and error.errno in (errno.ENOSPC, errno.EDQUOT):
        return _(
            "The server's disk is full, so the job's file could not be written. Ask the "
            "administrator to free space on the server, then start the job again."
        )
    return _(
        "Unexpected error (%(error)s); the administrator can find the details in the server log."
    ) % {"error": type(error).__name__}
