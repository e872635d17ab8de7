"""`make run` starts the job worker again when it exits, and stops it with the web server
(issue 22, finding 6: a worker that died left every later job waiting forever).

The commands are a stand-in `naikkelas` that records each call: the worker exits at once
and the web server serves for a few seconds, so only the Makefile's loop is under test.
"""

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


MAKE = shutil.which("make")


def _outside_make() -> dict[str, str]:
    # Under `make test` the suite inherits make's own flags (a jobserver among them),
    # which are not the stand-in run's to use.
    return {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}


@pytest.mark.skipif(MAKE is None, reason="needs make")
def test_make_run_restarts_the_worker_and_stops_it_with_the_server(tmp_path):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    calls = tmp_path / "calls"
    stand_in = bin_dir / "naikkelas"
    stand_in.write_text(
        "#!/bin/sh\n"
        f'echo "$1" >> {calls}\n'
        'case "$1" in\n'
        "  runserver) sleep 12 ;;\n"
        "  worker) exit 3 ;;\n"
        "esac\n"
    )
    stand_in.chmod(0o755)
    stamp = tmp_path / "installed"
    stamp.touch()
    result = subprocess.run(
        [str(MAKE), "-s", "run", f"BIN={bin_dir}", f"STAMP={stamp}"],
        cwd=ROOT, capture_output=True, text=True, timeout=60, env=_outside_make(),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    names = calls.read_text().split()
    assert names[:2] == ["migrate", "demo"]
    assert names.count("worker") >= 2, names
    assert "starting it again" in result.stderr
    # The loop ended with the server: no worker is started after it.
    settled = calls.read_text()
    time.sleep(6)
    assert calls.read_text() == settled
