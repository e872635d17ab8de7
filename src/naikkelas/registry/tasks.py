"""Background work of the registry, run by the job worker (`naikkelas db_worker`)."""

from collections.abc import Iterator
from typing import Any

from django.contrib.auth import get_user_model
from django_tasks import task

from naikkelas.jobs.services import Progress, running
from naikkelas.registry import listing
from naikkelas.registry.access import businesses_for
from naikkelas.registry.filters import BusinessFilter


@task()
def export_businesses(
    job_id: str, user_id: int, filters: dict[str, Any], export_format: str
) -> None:
    """The business list as the user filtered it (`BusinessFilter.params()`), too long to
    answer within a request."""
    with running(job_id) as progress:
        user = get_user_model().objects.get(pk=user_id)
        # Scoped again here, not handed a list of ids: the user's scope is what it is when
        # the job runs, and nothing outside it can reach the file.
        businesses = BusinessFilter(**filters).apply(businesses_for(user))
        total = businesses.count()
        progress.advance(0, total)
        path = progress.output(f".{export_format}", f"{listing.FILE_NAME}.{export_format}")
        counted = _counted(listing.rows(businesses), progress)
        with path.open("wb") as target:
            listing.write(export_format, target, counted)
        progress.result = {"rows": progress.job.done}


def _counted(rows: Iterator[list[Any]], progress: Progress) -> Iterator[list[Any]]:
    for done, row in enumerate(rows, 1):
        yield row
        progress.advance(done)
