"""The production set-up that the load benchmarks drive, on loopback: gunicorn (4
workers x 4 threads, gthread, TLS, production settings: DEBUG off, hashed static files)
beside the job worker. Used by benchmarks.load and benchmarks.ceiling as it is, and by
benchmarks.offline with fewer workers, over plain HTTP and without the job worker (see
there why); Django must point at the scratch database already (benchmarks.scratch).
"""

import os
import shutil
import socket
import ssl
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

BIN = Path(sys.executable).parent
WORKERS = int(os.environ.get("LOAD_GUNICORN_WORKERS", "4"))
THREADS = int(os.environ.get("LOAD_GUNICORN_THREADS", "4"))
LOCUSTFILE = Path(__file__).with_name("locustfile.py")


def production_env() -> dict[str, str]:
    return os.environ | {"DJANGO_DEBUG": "0", "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost"}


def collect_static(env: dict[str, str]) -> None:
    """With the production settings' storage (hashed names and their manifest)."""
    command = [str(BIN / "naikkelas"), "collectstatic", "--noinput", "-v0"]
    subprocess.run(command, env=env, check=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def self_signed(folder: Path) -> tuple[Path, Path]:
    """Production settings redirect to HTTPS and send cookies over it only, so the server
    speaks TLS, as it would behind the city's certificate."""
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [shutil.which("openssl") or "openssl", "req", "-x509", "-newkey", "rsa:2048",
         "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    return cert, key


def wait_for(url: str, seconds: float = 60) -> None:
    unverified = ssl._create_unverified_context()  # noqa: S323  (our own loopback certificate)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2, context=unverified)  # noqa: S310
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"the server did not answer at {url}")


@contextmanager
def serve(
    folder: Path,
    env: dict[str, str],
    *,
    workers: int = WORKERS,
    threads: int = THREADS,
    tls: bool = True,
    job_worker: bool = True,
    log_level: str = "info",
) -> Iterator[str]:
    """Start gunicorn and (unless told not to) the job worker, logging into folder/logs;
    yield the server's URL once it answers; stop both."""
    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    # Logs as production keeps them (INFO unless told otherwise, every request in the
    # access log), to files that the load test's PII scan reads afterwards.
    logs = folder / "logs"
    logs.mkdir()
    served = env | {"NAIKKELAS_LOG_LEVEL": log_level.upper()}
    # Keep-alive longer than a user's longest pause (8 s): with gunicorn's default 2 s
    # the server closes idle connections just as clients reuse them, which a reverse
    # proxy in front (nginx keeps 75 s) would never show the users.
    command = [
        str(BIN / "gunicorn"), "naikkelas.wsgi", "-b", f"127.0.0.1:{port}",
        "-w", str(workers), "-k", "gthread", "--threads", str(threads), "--keep-alive", "30",
        "--log-level", log_level, "--access-logfile", str(logs / "access.log"),
    ]  # fmt: skip
    if tls:
        cert, key = self_signed(folder)
        command += ["--certfile", str(cert), "--keyfile", str(key)]
    processes = [subprocess.Popen(command, env=served, stderr=(logs / "gunicorn.log").open("w"))]
    if job_worker:
        processes.append(subprocess.Popen(
            [str(BIN / "naikkelas"), "worker"], env=served,
            stdout=(logs / "worker.log").open("w"), stderr=subprocess.STDOUT,
        ))  # fmt: skip
    try:
        url = f"{'https' if tls else 'http'}://127.0.0.1:{port}"
        wait_for(f"{url}/accounts/login/")
        yield url
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(30)
