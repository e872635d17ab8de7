"""Fault: the disk fills up while the job worker writes a report.

The full disk is real: a small tmpfs mounted over the jobs folder and filled, so the
kernel itself answers ENOSPC part-way through the file (we run as root in CI and the
sandbox, where mount is allowed; elsewhere the test skips, or fails under
NAIKKELAS_REQUIRE_ALL).
"""

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from django.urls import reverse

from conftest import PASSWORD
from naikkelas.core.models import AuditEntry
from naikkelas.jobs.models import Job, JobKind, JobStatus, files_dir
from naikkelas.monitoring import tallies

pytestmark = pytest.mark.usefixtures("reference_data")

# Room left on the disk: less than any report, so the write starts and cannot finish.
LEFT_FREE = 8 * 1024


@pytest.fixture
def small_disk() -> Iterator[Path]:
    folder = files_dir()
    folder.mkdir(parents=True)
    mount, umount = shutil.which("mount"), shutil.which("umount")
    if os.geteuid() != 0 or not (mount and umount):
        pytest.skip("mounting a small tmpfs needs root")
    mounted = subprocess.run(
        [mount, "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(folder)], capture_output=True
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        yield folder
    finally:
        subprocess.run([umount, str(folder)], check=True)


def _fill(folder: Path) -> Path:
    filler = folder / "filler"
    disk = os.statvfs(folder)
    filler.write_bytes(b"\0" * (disk.f_bavail * disk.f_frsize - LEFT_FREE))
    return filler


def _database() -> dict[str, object]:
    """Every table's row count and the audit trail, bar the job's own bookkeeping."""
    counts: dict[str, object] = {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.label not in ("jobs.Job", "django_tasks_database.DBTaskResult")
    }
    counts["audit"] = list(AuditEntry.objects.order_by("pk").values_list("pk", "action"))
    return counts


def _ask_for_report(client) -> Job:
    client.post(
        reverse("start_report"), {"kind": "monthly", "month": "2025-02", "file_format": "pdf"}
    )
    return Job.objects.filter(kind=JobKind.REPORT).latest("created_at")


def _run_worker(job: Job) -> Job:
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    job.refresh_from_db()
    return job


def test_a_full_disk_fails_the_report_cleanly_and_it_succeeds_once_freed(
    client, leader, city, small_disk
):
    client.login(username=leader.username, password=PASSWORD)
    filler = _fill(small_disk)
    # The report refreshes the dashboard's roll-ups when they are stale: a cache, not
    # something the failure may change, so it is brought up to date beforehand.
    tallies.refresh(only_if_stale=True)
    job = _ask_for_report(client)
    before = _database()

    failed = _run_worker(job)

    assert failed.status == JobStatus.FAILED
    assert "Disk server penuh" in failed.error and "mengosongkan ruang" in failed.error
    assert failed.file == ""
    # Nothing half written is left to be downloaded or mistaken for a report.
    assert [p.name for p in small_disk.iterdir()] == [filler.name]
    assert client.get(reverse("job_file", args=[failed.pk])).status_code == 404
    assert _database() == before

    filler.unlink()
    done = _run_worker(_ask_for_report(client))

    assert done.status == JobStatus.DONE, done.error
    assert sorted(p.name for p in small_disk.iterdir()) == [done.file]
    download = client.get(reverse("job_file", args=[done.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
