"""The job worker killed mid-import: nothing half-written, and the job is closed as
failed (with what to do) when a worker starts again on the same host.

Real processes against a scratch database (the import kill test's fixture): a job is
queued, `naikkelas worker` runs it, and is SIGKILLed once the import has written its
first batches inside its transaction.
"""

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

from naikkelas.intake.tests.sidt import row, write
from naikkelas.intake.tests.test_kill import _naikkelas, scratch  # noqa: F401  (fixture)

ROWS = 8000
QUEUE = """
from naikkelas.accounts.models import User
from naikkelas.intake.tasks import import_upload
from naikkelas.jobs.models import JobKind
from naikkelas.jobs.services import start_job
curator = User.objects.create_user("kurator-k", password="x", role="curator")
job = start_job(curator, JobKind.IMPORT, import_upload, path={path!r}, fmt="sidt",
                dry_run=False, user_id=curator.pk)
print(job.pk)
"""
STATE = """
import json
from naikkelas.jobs.models import Job
from naikkelas.jobs.recovery import fail_orphans
closed = fail_orphans()
job = Job.objects.get(pk={job!r})
print(json.dumps({{"closed": closed, "status": job.status, "error": job.error}}))
"""


def _shell(env, code):
    done = subprocess.run(
        [sys.executable, "-m", "naikkelas.cli", "shell", "-c", code],
        env=env, text=True, capture_output=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().splitlines()[-1]


def test_a_killed_worker_leaves_no_business_and_its_job_is_closed_as_failed(tmp_path, scratch):  # noqa: F811
    env, count = scratch
    migrate = _naikkelas(env, "migrate", "--noinput")
    assert migrate.wait(timeout=300) == 0
    path = write(tmp_path / "big.csv", [
        row(id_data_badan_usaha=f"W-{n}", nib="", nik_pengusaha="", nama_usaha=f"Usaha {n}")
        for n in range(ROWS)
    ])  # fmt: skip
    job = _shell(env, QUEUE.format(path=str(path)))
    progress = Path(env["NAIKKELAS_VAR_DIR"]) / "jobs" / f"{job}.progress"

    worker = _naikkelas(env, "worker")
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if progress.exists() and json.loads(progress.read_text() or "[0]")[0] >= 2000:
            break
        time.sleep(0.2)
    else:
        worker.kill()
        raise AssertionError("the import did not start")
    worker.send_signal(signal.SIGKILL)
    worker.wait(timeout=60)
    # What a job killed while writing its file (an export, a report) leaves behind.
    partial = progress.with_name(f"{job}.xlsx.part")
    partial.write_bytes(b"PK\x03\x04 half a workbook")

    assert count() == 0
    state = json.loads(_shell(env, STATE.format(job=job)))
    assert state["closed"] == 1 and state["status"] == "failed"
    assert not partial.exists()
    assert "start it again" in state["error"] or "jalankan lagi" in state["error"]
    # A second look finds nothing more to close.
    assert json.loads(_shell(env, STATE.format(job=job)))["closed"] == 0
