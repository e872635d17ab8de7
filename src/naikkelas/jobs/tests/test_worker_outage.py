"""The job worker outlives the database being unavailable, and runs the jobs queued after.

Real processes against a scratch database: on SQLite (a file of its own, on either
suite database), another connection holds the write lock longer than the busy timeout, as a large import
does; on PostgreSQL the worker's connection is cut and the database refuses new ones for
a while, as in a restart. Either stopped db_worker for good.
"""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from naikkelas.intake.tests.test_kill import scratch  # noqa: F401  (fixture)
from naikkelas.jobs.tests.test_recovery import _shell

OUTAGE = 4.0  # seconds: several polls, and more than the busy timeout below
STATUS = "from naikkelas.jobs.models import Job; print(Job.objects.get().status)"


def _start_worker(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    worker = subprocess.Popen(
        [sys.executable, "-m", "naikkelas.cli", "worker"],
        env={**env, "NAIKKELAS_LOG_LEVEL": "WARNING"},
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while "Starting worker" not in log.read_text():
        assert worker.poll() is None and time.monotonic() < deadline, log.read_text()
        time.sleep(0.1)
    return worker


def _completes_a_job_queued_now(env: dict[str, str], worker: subprocess.Popen[bytes]) -> None:
    queued = subprocess.run(
        [sys.executable, "-m", "naikkelas.cli", "recompute", "--background"],
        env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert queued.returncode == 0, queued.stderr
    deadline = time.monotonic() + 120
    while (status := _shell(env, STATUS)) != "done":
        assert status in ("queued", "running") and time.monotonic() < deadline, status
        assert worker.poll() is None
        time.sleep(0.5)


@contextmanager
def _running(worker: subprocess.Popen[bytes]) -> Iterator[None]:
    try:
        yield
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=60)


def test_the_worker_waits_out_a_locked_sqlite_database(tmp_path):
    # A SQLite file of its own whatever the suite's database: the finding is SQLite's
    # write lock, and on PostgreSQL nothing may be skipped.
    env = {
        **os.environ,
        "NAIKKELAS_VAR_DIR": str(tmp_path / "var"),
        "NAIKKELAS_LOG_LEVEL": "ERROR",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'outage.sqlite3'}",
        "NAIKKELAS_SQLITE_TIMEOUT": "0.5",
    }
    assert subprocess.run(
        [sys.executable, "-m", "naikkelas.cli", "migrate", "--noinput"],
        env=env, capture_output=True, timeout=300,
    ).returncode == 0  # fmt: skip
    log = tmp_path / "worker.log"
    worker = _start_worker(env, log)
    with _running(worker):
        # What a large import does: one write transaction held for a long time.
        holder = sqlite3.connect(env["DATABASE_URL"].removeprefix("sqlite:///"))
        holder.isolation_level = None
        holder.execute("BEGIN IMMEDIATE")
        time.sleep(OUTAGE)
        assert worker.poll() is None, log.read_text()
        assert "database is locked" in log.read_text()
        holder.execute("ROLLBACK")
        holder.close()

        _completes_a_job_queued_now(env, worker)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL restart")
def test_the_worker_waits_out_a_lost_postgresql_connection(tmp_path, scratch):  # noqa: F811
    env, _count = scratch
    assert subprocess.run(
        [sys.executable, "-m", "naikkelas.cli", "migrate", "--noinput"],
        env=env, capture_output=True, timeout=300,
    ).returncode == 0  # fmt: skip
    name = env["DATABASE_URL"].rsplit("/", 1)[1]
    admin = env["DATABASE_URL"].rsplit("/", 1)[0] + "/postgres"
    log = tmp_path / "worker.log"
    worker = _start_worker(env, log)
    with _running(worker), psycopg.connect(admin, autocommit=True) as db:
        try:
            db.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
            db.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
                [name],
            )
            time.sleep(OUTAGE)
            assert worker.poll() is None, log.read_text()
            assert "database error" in log.read_text()
        finally:
            db.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')

        _completes_a_job_queued_now(env, worker)
