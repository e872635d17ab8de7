"""Jobs whose worker died under them.

django-tasks' database worker marks a task running when it claims it and finished when
it ends; a worker that is killed (or the machine restarted) leaves it "running" for ever,
and the job's page would poll for ever. Our worker names itself by host and process
(`worker_id`), so a worker starting on the same host can tell whose process is gone and
close those jobs as failed. Their work was one transaction (an import, a recompute), so
nothing of it stayed; the user is told to start it again.

A deployment with workers on several hosts sees only its own host's dead workers here.
"""

import os
import socket

from django.db import transaction
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from naikkelas.jobs.models import Job, JobStatus


def worker_id() -> str:
    """host:pid:random — unique, and says where the worker ran."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{get_random_string(8)}"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process: alive
    return True


def _dead_here(worker: str) -> bool:
    host, _, rest = worker.partition(":")
    pid = rest.partition(":")[0]
    return host == socket.gethostname()[:40] and pid.isdigit() and not _alive(int(pid))


@transaction.atomic
def fail_orphans() -> int:
    """Close the jobs a dead worker on this host left running; return how many."""
    orphans = [
        result
        for result in DBTaskResult.objects.select_for_update().filter(
            status=TaskResultStatus.RUNNING
        )
        if result.worker_ids and _dead_here(result.worker_ids[-1])
    ]
    now = timezone.now()
    for result in orphans:
        result.status, result.finished_at = TaskResultStatus.FAILED, now
        result.exception_class_path = "naikkelas.jobs.recovery.WorkerDied"
        result.save(update_fields=["status", "finished_at", "exception_class_path"])
    jobs = Job.objects.filter(
        task_id__in=[str(r.id) for r in orphans], status__in=[JobStatus.QUEUED, JobStatus.RUNNING]
    )
    for job in jobs:
        job.progress_path.unlink(missing_ok=True)
        job.remove_partial_file()
    return jobs.update(
        status=JobStatus.FAILED,
        finished_at=now,
        error=_(
            "The job worker stopped while this job ran (it was restarted or killed). "
            "Nothing of this job was saved; start it again."
        ),
    )
