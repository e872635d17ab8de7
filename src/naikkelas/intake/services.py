"""Imports started from the web: keep the upload, check it in a dry run, then import.

Both steps are background jobs (`intake.tasks`), each with its own page.
"""

import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from naikkelas.core.errors import Forbidden, InvalidTransition
from naikkelas.intake.files import check_size
from naikkelas.intake.tasks import import_upload
from naikkelas.jobs.models import Job, JobKind, JobStatus
from naikkelas.jobs.services import start_job


def uploads_dir() -> Path:
    return Path(settings.VAR_DIR) / "imports"


def start_import(actor: Any, upload: Any, fmt: str | None) -> Job:
    """Keep an uploaded file and queue its dry run; the person then looks at the counts
    and errors and starts the real import of the same file (`confirm_import`)."""
    if not actor.can_curate:
        raise Forbidden(_("Only curators and administrators import files."))
    check_size(upload.size)
    suffix = "".join(Path(upload.name).suffixes[-2:]).lower()[:12]
    directory = uploads_dir()
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{uuid.uuid4().hex}{suffix}"
    with path.open("wb") as target:
        for chunk in upload.chunks():
            target.write(chunk)
    return start_job(
        actor, JobKind.IMPORT, import_upload,
        path=str(path), fmt=fmt, dry_run=True, user_id=actor.pk,
    )  # fmt: skip


def confirm_import(actor: Any, dry_run: Job) -> Job:
    """Import for real the file a finished dry run checked."""
    if not actor.can_curate:
        raise Forbidden(_("Only curators and administrators import files."))
    checked = dry_run.result
    if not (
        dry_run.kind == JobKind.IMPORT and dry_run.status == JobStatus.DONE
        and checked.get("dry_run") and Path(checked.get("upload", "")).is_file()
    ):  # fmt: skip
        raise InvalidTransition(_("Only a finished dry run can be imported."))
    return start_job(
        actor, JobKind.IMPORT, import_upload,
        path=checked["upload"], fmt=checked.get("format"), dry_run=False, user_id=actor.pk,
    )  # fmt: skip
