"""Killing an import mid-way leaves the database as it was before the file.

The import runs as a real `naikkelas import` process against a scratch database of the
same kind as the suite's (an SQLite file, or a PostgreSQL database made for the test);
it is killed with SIGKILL once it has written its first batches inside its transaction.
"""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import uuid

import psycopg
import pytest
from django.db import connection

from naikkelas.intake.tests.sidt import row, write

ROWS = 8000


def _naikkelas(env, *args):
    return subprocess.Popen(
        [sys.executable, "-m", "naikkelas.cli", *args],
        env=env, text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip


@pytest.fixture
def scratch(tmp_path):
    env = {**os.environ, "NAIKKELAS_VAR_DIR": str(tmp_path / "var"),
           "NAIKKELAS_LOG_LEVEL": "ERROR"}  # fmt: skip
    if connection.vendor == "postgresql":
        settings = connection.settings_dict
        name = f"naikkelas_kill_{uuid.uuid4().hex[:8]}"
        admin = f"postgresql://{settings['USER']}@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}/postgres"
        with psycopg.connect(admin, autocommit=True) as db:
            db.execute(f'CREATE DATABASE "{name}"')
        env["DATABASE_URL"] = admin.rsplit("/", 1)[0] + f"/{name}"

        def count():
            with psycopg.connect(env["DATABASE_URL"]) as db:
                return db.execute("SELECT count(*) FROM registry_business").fetchone()[0]

        yield env, count
        with psycopg.connect(admin, autocommit=True) as db:
            db.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
    else:
        database = tmp_path / "kill.sqlite3"
        env["DATABASE_URL"] = f"sqlite:///{database}"

        def count():
            with sqlite3.connect(database) as db:
                return db.execute("SELECT count(*) FROM registry_business").fetchone()[0]

        yield env, count


def _children(pid):
    """The processes `pid` started (its pool's workers), from /proc."""
    found = set()
    for task in os.listdir(f"/proc/{pid}/task"):
        with open(f"/proc/{pid}/task/{task}/children") as listed:
            found |= {int(child) for child in listed.read().split()}
    return found


def _gone(pid, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with open(f"/proc/{pid}/stat") as stat:
                if stat.read().split(") ", 1)[1].startswith("Z"):
                    return True  # ended, waiting only to be reaped
        except FileNotFoundError:
            return True
        time.sleep(0.1)
    return False


@pytest.mark.parametrize("processes", ["1", "2"], ids=["one process", "worker pool"])
def test_killing_an_import_mid_way_leaves_no_half_written_business(tmp_path, scratch, processes):
    env, count = scratch
    # With "2", the rows are checked by a pool of worker processes (intake.checking).
    env = {**env, "NAIKKELAS_IMPORT_PROCESSES": processes,
           "NAIKKELAS_IMPORT_PARALLEL_BYTES": "0"}  # fmt: skip
    migrate = _naikkelas(env, "migrate", "--noinput")
    assert migrate.wait(timeout=300) == 0, migrate.stderr.read() if migrate.stderr else ""
    path = write(tmp_path / "big.csv", [
        row(id_data_badan_usaha=f"K-{n}", nib="", nik_pengusaha="", nama_usaha=f"Usaha {n}")
        for n in range(ROWS)
    ])  # fmt: skip

    importer = _naikkelas(env, "import", str(path), "-v", "2")
    assert importer.stderr is not None
    first = importer.stderr.readline()  # the first batch has been written
    assert first.strip() == "2000 rows read", first
    workers = _children(importer.pid)
    importer.send_signal(signal.SIGKILL)
    importer.wait(timeout=60)

    assert importer.returncode == -signal.SIGKILL
    assert len(workers) == (2 if processes == "2" else 0)
    # A worker left without its parent reads the end of its task pipe and exits.
    assert all(_gone(pid) for pid in workers)
    assert count() == 0
    # Nothing to clean up: the same file imports whole afterwards.
    again = _naikkelas(env, "import", str(path), "--json")
    out, err = again.communicate(timeout=600)
    assert again.returncode == 0, err
    assert json.loads(out)["created"] == ROWS
    assert count() == ROWS
