"""Background work of the graduation domain, run by the job worker (`naikkelas db_worker`)."""

import time

from django_tasks import task

from naikkelas.graduation.engine import recompute
from naikkelas.graduation.models import Standing
from naikkelas.jobs.services import running
from naikkelas.registry.models import Business


@task()
def recompute_registry(job_id: str) -> None:
    """The whole registry's class and readiness, as `naikkelas recompute` does it."""
    with running(job_id) as progress:
        total = Business.objects.count()
        progress.advance(0, total)
        start = time.perf_counter()
        changed = recompute()
        progress.result = {
            "businesses": total,
            "changed": changed,
            "ready": Standing.objects.filter(ready=True).count(),
            "seconds": round(time.perf_counter() - start, 1),
        }
