"""Imports started from the web: keep the upload, check it in a dry run, then import.

Both steps are background jobs (`intake.tasks`), each with its own page. The upload is
kept only until its import ends, or for the retention if its dry run is never
confirmed (`intake.uploads`).
"""

from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from naikkelas.accounts.models import User
from naikkelas.core.access import require
from naikkelas.core.errors import InvalidTransition
from naikkelas.intake import uploads
from naikkelas.intake.files import check_size
from naikkelas.intake.tasks import import_upload, queue_purge
from naikkelas.jobs.models import Job, JobKind, JobStatus
from naikkelas.jobs.services import start_job


def start_import(actor: User, upload: Any, fmt: str | None) -> Job:
    """Keep an uploaded file and queue its dry run; the person then looks at the counts
    and errors and starts the real import of the same file (`confirm_import`)."""
    require(actor.can_curate, _("Only curators and administrators import files."))
    check_size(upload.size)
    path = uploads.keep(upload)
    with transaction.atomic():
        job = start_job(
            actor, JobKind.IMPORT, import_upload,
            path=str(path), fmt=fmt, dry_run=True, user_id=actor.pk,
        )  # fmt: skip
        queue_purge()
    return job


def confirm_import(actor: User, dry_run: Job) -> Job:
    """Import for real the file a finished dry run checked, within the retention."""
    require(actor.can_curate, _("Only curators and administrators import files."))
    checked = dry_run.result
    if not (
        dry_run.kind == JobKind.IMPORT and dry_run.status == JobStatus.DONE
        and checked.get("dry_run")
    ):  # fmt: skip
        raise InvalidTransition(_("Only a finished dry run can be imported."))
    upload = Path(checked.get("upload", ""))
    if uploads.expired(dry_run.created_at) or not upload.is_file():
        raise uploads.UploadExpired
    return start_job(
        actor, JobKind.IMPORT, import_upload,
        path=str(upload), fmt=checked.get("format"), dry_run=False, user_id=actor.pk,
    )  # fmt: skip
