"""Imports started from the web run here, in the job worker."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django_tasks import task

from naikkelas.intake.importer import import_file
from naikkelas.jobs.services import running

# The job page shows this many errors; the rest are in the downloadable report.
ERRORS_SHOWN = 20
# An import's business ids are kept with its job up to this many, for "find duplicates
# of this import"; a larger import is searched with the whole registry.
DEDUP_IDS_KEPT = 50_000


@task()
def import_upload(job_id: str, path: str, fmt: str | None, dry_run: bool, user_id: int) -> None:
    user = get_user_model().objects.get(pk=user_id)
    with running(job_id) as progress:
        report_path = progress.output(".xlsx", "laporan-galat-impor.xlsx")
        report = import_file(
            user, Path(path), fmt, dry_run=dry_run,
            progress=lambda rows: progress.advance(rows), error_report=report_path,
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
        }
        if not dry_run and len(report.touched) <= DEDUP_IDS_KEPT:
            # So that the job page can offer a duplicate search over this import.
            progress.result["touched"] = report.touched
