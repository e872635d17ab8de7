"""Batch duplicate detection as a background job."""

from django_tasks import task

from naikkelas.dedup.linkage import find_pairs
from naikkelas.dedup.services import propose_pairs
from naikkelas.jobs.services import running


@task()
def detect_duplicates(job_id: str, business_ids: list[int] | None = None) -> None:
    """Over the whole registry; with `business_ids` (an import's), only the pairs in
    which one of them takes part, still matched against the whole registry."""
    with running(job_id) as progress:
        pairs = find_pairs()
        if business_ids is not None:
            wanted = set(business_ids)
            pairs = [p for p in pairs if p.a in wanted or p.b in wanted]
        queued = propose_pairs(pairs)
        progress.result = {"pairs": len(pairs), "queued": queued}
