"""Background jobs as the people who started them see them: what, how far, and how it ended.

The queue itself is django-tasks' database backend; a Job is the product's record of one
piece of work (a recompute, an import, an export) with its progress and result, which a
task result alone does not carry.
"""

import json
import uuid
from pathlib import Path

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class JobKind(models.TextChoices):
    RECOMPUTE = "recompute", _("Recompute class and readiness")
    IMPORT = "import", _("Import")
    EXPORT = "export", _("Export")
    DEDUP = "dedup", _("Find duplicates")
    REPORT = "report", _("Monitoring report")


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


FINISHED = (JobStatus.DONE, JobStatus.FAILED)


def files_dir() -> Path:
    return Path(settings.VAR_DIR) / "jobs"


# How a job's result figures are labelled on its page.
RESULT_LABELS = {
    "businesses": _("Businesses computed"),
    "changed": _("Standings changed"),
    "ready": _("Ready to move up"),
    "seconds": _("Seconds"),
    "rows": _("Rows"),
    "created": _("New businesses"),
    "updated": _("Businesses updated"),
    "unchanged": _("Unchanged"),
    "rejected": _("Rows rejected"),
    "pairs": _("Likely duplicate pairs"),
    "queued": _("Pairs to review"),
}


class Job(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("job"), max_length=16, choices=JobKind.choices)
    status = models.CharField(
        _("status"), max_length=8, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    done = models.PositiveIntegerField(default=0)
    # NULL until the job knows how much there is to do.
    total = models.PositiveIntegerField(null=True, blank=True)
    result = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    # A file the job produced (an export, an error report), under VAR_DIR/jobs, and the
    # name it is downloaded as.
    file = models.CharField(max_length=255, blank=True)
    file_name = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["requested_by", "-created_at"])]
        verbose_name = _("job")
        verbose_name_plural = _("jobs")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_status_display()})"

    @property
    def file_path(self) -> Path:
        return files_dir() / self.file

    @property
    def finished(self) -> bool:
        return self.status in FINISHED

    @property
    def progress_path(self) -> Path:
        return files_dir() / f"{self.pk}.progress"

    @property
    def partial_path(self) -> Path:
        """Where the job's file is written until the job succeeds (jobs.services)."""
        return files_dir() / f"{self.file}.part"

    def remove_partial_file(self) -> None:
        """The half-written file of a job that failed or whose worker died; matched by
        the job's id, since a killed worker never saved the file's name."""
        for leftover in files_dir().glob(f"{self.pk}.*.part"):
            leftover.unlink(missing_ok=True)

    def live_progress(self) -> tuple[int, int | None]:
        """How far a running job is. A task inside one long transaction cannot show its
        progress through its own row, so progress goes to a small file beside the job's
        files (`Progress.advance`); the row has the final figures."""
        if self.status == JobStatus.RUNNING:
            try:
                done, total = json.loads(self.progress_path.read_text())
            except (OSError, ValueError):
                pass
            else:
                return int(done), (int(total) if total is not None else None)
        return self.done, self.total

    @property
    def percent(self) -> int | None:
        if self.status == JobStatus.DONE:
            return 100
        done, total = self.live_progress()
        if not total:
            return None
        return min(100, done * 100 // total)

    def result_items(self) -> list[tuple[str, object]]:
        # Only the figures have labels; anything else in the result is for the kind's
        # own part of the page.
        return [
            (str(RESULT_LABELS[key]), value)
            for key, value in self.result.items()
            if key in RESULT_LABELS
        ]
