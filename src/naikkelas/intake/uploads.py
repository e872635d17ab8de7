"""Uploaded import files, kept only while an import needs them.

An upload holds NIK and phone numbers in clear (UU 27/2022), so it is deleted as soon as
its import ends: when the real import is done or has failed, and when the dry run
failed. A dry run that succeeded keeps its file for the person to confirm it, for
NAIKKELAS_UPLOAD_RETENTION_HOURS; after that the confirmation is refused and the file
is deleted.

The deletion past retention runs in the job worker, as a task each upload queues to run
when its retention ends (`intake.tasks.purge_uploads`). The worker is what runs
imports, so it runs whenever there are uploads to delete, and a queued task survives a
restart of the worker or the machine; a sweep at upload time or at worker start would
leave the last upload of a quiet week in place until the next one. Each sweep deletes
every expired upload, so a file whose own task was lost (a file from before this rule)
goes with the next one. An expired upload that an import still waits for is left to
that import, and the sweep queues itself again for what it had to leave.
"""

import datetime
import time
import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from naikkelas.core.errors import DomainError


class UploadExpired(DomainError):
    code = "upload_expired"

    def __init__(self) -> None:
        super().__init__(
            _(
                "The uploaded file is no longer kept: an upload is deleted once it is "
                "imported, or %(hours)s hours after it was uploaded. Upload the file again."
            )
            % {"hours": f"{float(settings.NAIKKELAS_UPLOAD_RETENTION_HOURS):g}"}
        )


def uploads_dir() -> Path:
    return Path(settings.VAR_DIR) / "imports"


def retention() -> datetime.timedelta:
    return datetime.timedelta(hours=float(settings.NAIKKELAS_UPLOAD_RETENTION_HOURS))


def keep(upload: Any) -> Path:
    """Write an uploaded file under a name of its own; returns where."""
    suffix = "".join(Path(upload.name).suffixes[-2:]).lower()[:12]
    directory = uploads_dir()
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{uuid.uuid4().hex}{suffix}"
    with path.open("wb") as target:
        for chunk in upload.chunks():
            target.write(chunk)
    return path


def expired(uploaded_at: datetime.datetime) -> bool:
    return timezone.now() - uploaded_at >= retention()


def discard(path: Path) -> None:
    """Delete an upload. A path outside the uploads folder (a file the command line
    imported) is the user's own, and stays."""
    if path.resolve().parent == uploads_dir().resolve():
        path.unlink(missing_ok=True)


def purge_expired(held: set[str]) -> int:
    """Delete the uploads older than the retention, except those a queued or running
    import will read (`held`, their file names). Returns how many of those it kept."""
    directory = uploads_dir()
    if not directory.is_dir():
        return 0
    cutoff = time.time() - retention().total_seconds()
    kept = 0
    for path in directory.iterdir():
        try:
            old = path.is_file() and path.stat().st_mtime <= cutoff
        except FileNotFoundError:  # an import ending meanwhile deleted it
            continue
        if old and path.name in held:
            kept += 1
        elif old:
            path.unlink(missing_ok=True)
    return kept
