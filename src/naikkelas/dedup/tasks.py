"""Batch duplicate detection as a background job."""

from django_tasks import task

from naikkelas.dedup.linkage import find_pairs
from naikkelas.dedup.services import propose_pairs
from naikkelas.jobs.services import running


@task()
def detect_duplicates(job_id: str) -> None:
    with running(job_id) as progress:
        pairs = find_pairs()
        queued = propose_pairs((p.a, p.b, p.probability, list(p.reasons)) for p in pairs)
        progress.result = {"pairs": len(pairs), "queued": queued}
