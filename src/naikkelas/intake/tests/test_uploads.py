"""An uploaded file holds NIKs in clear: it is kept until its import ends, or for the
retention when its dry run is never confirmed, and nothing the web import leaves in
VAR_DIR holds a NIK or phone number in clear.

Through the pages and the real job worker, so these tests commit (`reference_data`).
"""

import datetime
import os
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from conftest import PASSWORD
from naikkelas.intake.tasks import purge_uploads
from naikkelas.intake.tests.sidt import damaged_workbook, row, write
from naikkelas.intake.uploads import uploads_dir
from naikkelas.jobs.models import Job, JobStatus
from naikkelas.registry.models import Business

pytestmark = pytest.mark.usefixtures("reference_data")
LATER = datetime.timedelta(hours=25)  # past the default retention of 24 hours


def _work():
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def _upload(client, path):
    with path.open("rb") as f:
        upload = SimpleUploadedFile(path.name, f.read())
    return client.post(reverse("import_page"), {"file": upload, "format": ""})


def _uploads():
    return sorted(uploads_dir().iterdir()) if uploads_dir().exists() else []


def _dry_run(client, curator, path):
    client.login(username=curator.username, password=PASSWORD)
    _upload(client, path)
    _work()
    dry = Job.objects.get()
    assert dry.status == JobStatus.DONE
    return dry


def _later(*uploads):
    """As if the retention had passed since the upload: the files' age, and the sweep
    the upload queued now due."""
    then = (timezone.now() - LATER).timestamp()
    for path in uploads:
        os.utime(path, (then, then))
    sweeps = DBTaskResult.objects.filter(
        task_path=purge_uploads.module_path, status=TaskResultStatus.READY
    )
    assert sweeps.update(run_after=timezone.now()) == 1


def _scan_pii(folder):
    out = StringIO()
    call_command("scan_pii", str(folder), stdout=out)  # fails on a finding
    return out.getvalue()


def test_after_a_web_import_with_errors_nothing_is_left_in_clear(client, curator, settings):
    path = write(
        settings.VAR_DIR.parent / "sidt.csv", [row(), row(id_data_badan_usaha="S-2", nib="12")]
    )
    dry = _dry_run(client, curator, path)
    assert dry.result["rejected"] == 1
    assert len(_uploads()) == 1  # kept for the confirmation

    client.post(reverse("import_confirm", args=[dry.pk]))
    _work()

    real = Job.objects.exclude(pk=dry.pk).get()
    assert (real.status, real.result["created"], real.result["rejected"]) == (JobStatus.DONE, 1, 1)
    assert _uploads() == []
    # Both error reports are kept, for download, masked.
    assert dry.file_path.exists() and real.file_path.exists()
    assert "0 plaintext NIK or phone numbers found" in _scan_pii(settings.VAR_DIR)


def test_a_failed_import_deletes_its_upload(client, curator, settings):
    path = write(settings.VAR_DIR.parent / "sidt.csv", [row()])
    dry = _dry_run(client, curator, path)
    [upload] = _uploads()
    upload.write_bytes(b"")  # the real import finds it empty: refused

    client.post(reverse("import_confirm", args=[dry.pk]))
    _work()

    real = Job.objects.exclude(pk=dry.pk).get()
    assert (real.status, real.error) == (JobStatus.FAILED, "Berkas kosong.")
    assert _uploads() == []
    assert not Business.objects.exists()


def test_a_damaged_workbook_fails_its_dry_run_in_indonesian_and_is_deleted(
    client, curator, settings
):
    client.login(username=curator.username, password=PASSWORD)
    _upload(client, damaged_workbook(settings.VAR_DIR.parent / "rusak.xlsx"))
    _work()

    job = Job.objects.get()
    assert (job.status, job.error) == (
        JobStatus.FAILED,
        "Ini bukan berkas Excel (.xlsx), atau berkasnya rusak.",
    )
    assert "Ini bukan berkas Excel" in client.get(reverse("job_detail", args=[job.pk])).text
    assert _uploads() == []
    assert "0 plaintext NIK or phone numbers found" in _scan_pii(settings.VAR_DIR)


def test_an_unconfirmed_dry_run_is_refused_and_its_upload_deleted_after_the_retention(
    client, curator, settings
):
    dry = _dry_run(client, curator, write(settings.VAR_DIR.parent / "sidt.csv", [row()]))
    [upload] = _uploads()
    Job.objects.filter(pk=dry.pk).update(created_at=dry.created_at - LATER)

    # Refused even before the sweep has deleted the file...
    response = client.post(reverse("import_confirm", args=[dry.pk]), follow=True)
    assert "Berkas unggahan ini sudah tidak disimpan" in response.text
    assert "24 jam setelah diunggah" in response.text
    assert Job.objects.count() == 1
    assert upload.exists()

    # ... which the worker runs when the retention has passed.
    _later(upload)
    _work()
    assert _uploads() == []
    response = client.post(reverse("import_confirm", args=[dry.pk]), follow=True)
    assert "Berkas unggahan ini sudah tidak disimpan" in response.text
    assert Job.objects.count() == 1


def test_the_sweep_leaves_an_upload_an_import_waits_for(client, curator, settings):
    dry = _dry_run(client, curator, write(settings.VAR_DIR.parent / "sidt.csv", [row()]))
    client.post(reverse("import_confirm", args=[dry.pk]))  # within the retention
    _later(*_uploads())

    _work()  # the sweep first (it was due earlier), then the import

    real = Job.objects.exclude(pk=dry.pk).get()
    assert (real.status, real.result["created"]) == (JobStatus.DONE, 1)
    assert _uploads() == []
    # It had to leave a file, so it comes back later.
    again = DBTaskResult.objects.get(
        task_path=purge_uploads.module_path, status=TaskResultStatus.READY
    )
    assert again.run_after > timezone.now() + datetime.timedelta(hours=23)
