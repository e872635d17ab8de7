"""Imports started from the web run here, in the job worker, and so does the deletion
of the uploads they leave (`intake.uploads`)."""

import datetime
from pathlib import Path

from django.contrib.auth import get_user_model
from django.utils import timezone
from django_tasks import task
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from naikkelas.intake import uploads
from naikkelas.intake.importer import import_file
from naikkelas.jobs.services import running

# The job page shows this many errors; the rest are in the downloadable report.
ERRORS_SHOWN = 20
# An import's business ids are kept with its job up to this many, for "find duplicates
# of this import"; a larger import is searched with the whole registry.
DEDUP_IDS_KEPT = 50_000
# A sweep runs this long after the retention of the upload that queued it ends, so that
# upload is past it however the clocks of web and worker differ.
PURGE_MARGIN = datetime.timedelta(minutes=5)


@task()
def import_upload(job_id: str, path: str, fmt: str | None, dry_run: bool, user_id: int) -> None:
    upload = Path(path)
    user = get_user_model().objects.get(pk=user_id)
    try:
        with running(job_id) as progress:
            if not upload.is_file():
                raise uploads.UploadExpired
            report_path = progress.output(".xlsx", "laporan-galat-impor.xlsx")
            # The queue's filter to this import's pairs is by its job.
            report = import_file(
                user, upload, fmt, dry_run=dry_run,
                progress=lambda rows: progress.advance(rows), error_report=report_path,
                found_by=f"import:{job_id}",
            )  # fmt: skip
            progress.result = {
                "rows": report.rows,
                "created": report.created,
                "updated": report.updated,
                "unchanged": report.unchanged,
                "rejected": report.rejected,
                "dry_run": dry_run,
                "format": report.format,
                "upload": path,
                "errors": report.errors[:ERRORS_SHOWN],
                "possible_duplicates": report.possible_duplicates,
                "found_by": report.found_by,
            }
            if not dry_run and len(report.touched) <= DEDUP_IDS_KEPT:
                # So that the job page can offer a duplicate search over this import.
                progress.result["touched"] = report.touched
    except Exception:
        # A file that could not be checked or imported is not kept for another try:
        # the person uploads it again.
        uploads.discard(upload)
        raise
    if not dry_run:
        uploads.discard(upload)


def queue_purge() -> None:
    """Queue a sweep of the uploads for when the retention of one uploaded now ends."""
    when = timezone.now() + uploads.retention() + PURGE_MARGIN
    purge_uploads.using(run_after=when).enqueue()


@task()
def purge_uploads() -> None:
    """Delete the uploads past their retention, but not one an import is waiting for."""
    waiting = DBTaskResult.objects.filter(
        task_path=import_upload.module_path,
        status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING],
    ).values_list("args_kwargs", flat=True)
    held = {Path(queued["kwargs"]["path"]).name for queued in waiting}
    if uploads.purge_expired(held):
        queue_purge()
