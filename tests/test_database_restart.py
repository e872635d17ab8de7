"""Fault: PostgreSQL restarts, or stays down for a while, under a running app.

The real thing: a private PostgreSQL cluster this test creates, owns and stops, and the
production server (gunicorn) as a subprocess on it. The suite's own database is never
touched, so the test runs the same in the SQLite and the PostgreSQL run.
"""

import contextlib
import http.cookiejar
import json
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest

from conftest import BALEARJOSARI, PASSWORD

BIN = Path(sys.executable).parent
# A request that hangs instead of answering fails the test rather than stalling it.
REQUEST_TIMEOUT = 10


def _postgres_bin() -> Path | None:
    found = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"),
        key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0,
    )
    return found[-1].parent if found else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Cluster:
    bin: Path
    folder: Path
    port: int

    def _run(self, *args: str) -> None:
        # initdb refuses to run as root; the cluster belongs to the postgres OS user.
        as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        subprocess.run([*as_postgres, *args], check=True, capture_output=True, timeout=60)

    def start(self) -> None:
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.folder} -c fsync=off"
            " -c full_page_writes=off"
        )
        self._run(str(self.bin / "pg_ctl"), "start", "-w", "-D", str(self.folder / "data"),
                  "-l", str(self.folder / "log"), "-o", options)  # fmt: skip

    def stop(self) -> None:
        self._run(str(self.bin / "pg_ctl"), "stop", "-w", "-m", "fast",
                  "-D", str(self.folder / "data"))  # fmt: skip

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/naikkelas"


@pytest.fixture
def cluster() -> Iterator[Cluster]:
    pg_bin = _postgres_bin()
    if pg_bin is None or (os.geteuid() == 0 and not shutil.which("runuser")):
        pytest.skip("PostgreSQL server binaries (initdb, pg_ctl) are not installed")
    folder = Path(tempfile.mkdtemp(prefix="naikkelas-faults-pg-"))
    if os.geteuid() == 0:
        owner = pwd.getpwnam("postgres")
        os.chown(folder, owner.pw_uid, owner.pw_gid)
    cluster = Cluster(pg_bin, folder, _free_port())
    cluster._run(str(pg_bin / "initdb"), "-D", str(folder / "data"), "-U", "postgres",
                 "-A", "trust", "--no-sync")  # fmt: skip
    cluster.start()
    try:
        with psycopg.connect(cluster.url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as c:
            c.execute("CREATE DATABASE naikkelas")
        yield cluster
    finally:
        with contextlib.suppress(subprocess.CalledProcessError):  # stopped by the test
            cluster.stop()
        shutil.rmtree(folder, ignore_errors=True)


class Browser:
    """Cookies, CSRF and error statuses as answers, not exceptions."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    def request(
        self, path: str, data: dict[str, str] | None = None, headers: dict[str, str] | None = None
    ) -> tuple[int, dict[str, str], str]:
        body = None
        headers = dict(headers or {})
        if data is not None and headers.get("Content-Type") == "application/json":
            body = json.dumps(data).encode()
        elif data is not None:
            csrf = next((c.value for c in self.cookies if c.name == "csrftoken"), "")
            body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": csrf}).encode()
        # Our own server on loopback.
        request = urllib.request.Request(self.base + path, data=body, headers=headers)  # noqa: S310
        try:
            with self.opener.open(request, timeout=REQUEST_TIMEOUT) as response:
                return response.status, dict(response.headers), response.read().decode()
        except urllib.error.HTTPError as e:
            return e.code, dict(e.headers), e.read().decode()


def _wait_for(browser: Browser, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert server.poll() is None, "gunicorn exited"
        try:
            browser.request("/accounts/login/")
            return
        except OSError:
            time.sleep(0.2)
    raise AssertionError("gunicorn did not answer")


def _register(api: Browser, token: dict[str, str], name: str) -> tuple[int, str]:
    """A business created through the API: a write."""
    status, _, body = api.request(
        "/api/v1/businesses/",
        {"name": name, "owner_name": "Slamet", "kelurahan": BALEARJOSARI, "kbli": "16291",
         "rt": "1", "rw": "2"},
        {**token, "Content-Type": "application/json"},
    )  # fmt: skip
    return status, body


def _workers(server: subprocess.Popen[bytes]) -> str:
    return Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().strip()


def test_it_answers_503_while_postgresql_is_down_and_recovers_by_itself(cluster, tmp_path):
    env = os.environ | {"DATABASE_URL": cluster.url, "NAIKKELAS_VAR_DIR": str(tmp_path / "app")}
    naikkelas = str(BIN / "naikkelas")
    subprocess.run([naikkelas, "migrate", "--noinput", "-v0"], env=env, check=True, timeout=120)
    make_user = (
        "from naikkelas.accounts.models import User; "
        f"User.objects.create_user('admin-f', password='{PASSWORD}', role='admin')"
    )
    subprocess.run([naikkelas, "shell", "-c", make_user], env=env, check=True, timeout=60)
    port = _free_port()
    log = tmp_path / "gunicorn.log"
    with log.open("wb") as stderr:
        server = subprocess.Popen(
            [str(BIN / "gunicorn"), "naikkelas.wsgi", "-b", f"127.0.0.1:{port}", "-w", "1",
             "--log-level", "warning"],
            env=env, stderr=stderr,
        )  # fmt: skip
    try:
        web = Browser(f"http://127.0.0.1:{port}")
        _wait_for(web, server)
        web.request("/accounts/login/")  # for the CSRF cookie
        status, _, _ = web.request(
            "/accounts/login/", {"username": "admin-f", "password": PASSWORD}
        )
        assert status == 200 and any(c.name == "sessionid" for c in web.cookies)
        api = Browser(web.base)
        status, _, body = api.request(
            "/api/v1/auth/token/", {"username": "admin-f", "password": PASSWORD}
        )
        assert status == 200, body
        token = {"Authorization": f"Token {json.loads(body)['token']}"}
        status, body = _register(api, token, "Rotan Sebelum Padam")
        assert status == 201, body
        assert web.request("/usaha/")[0] == 200
        assert api.request("/api/v1/stats/", headers=token)[0] == 200
        workers = _workers(server)

        # A restart between two requests: the kept connection is dead, and is replaced
        # before the next request uses it.
        cluster.stop()
        cluster.start()
        status, _, html = web.request("/usaha/")
        assert status == 200 and "Rotan Sebelum Padam" in html

        cluster.stop()
        status, headers, html = web.request("/usaha/")
        assert status == 503, html
        assert headers["Retry-After"].isdigit()
        assert "Basis data sedang tidak dapat dihubungi" in html and 'lang="id"' in html
        assert "Traceback" not in html
        status, headers, body = api.request("/api/v1/stats/", headers=token)
        assert status == 503 and headers["Retry-After"].isdigit()
        assert json.loads(body)["code"] == "database_unavailable"
        # A write while it is down is refused the same way.
        status, body = _register(api, token, "Rotan Saat Padam")
        assert status == 503, body

        cluster.start()
        status, _, html = web.request("/usaha/")
        assert status == 200 and "Rotan Sebelum Padam" in html
        status, _, body = api.request("/api/v1/businesses/", headers=token)
        assert status == 200
        assert [b["name"] for b in json.loads(body)["results"]] == ["Rotan Sebelum Padam"]
        # Recovered by the same process: nothing was restarted to get here.
        assert server.poll() is None and _workers(server) == workers
    finally:
        server.terminate()
        server.wait(30)
    # The outage is in the server log, once per refused request, not as tracebacks.
    logged = log.read_text()
    assert "database unavailable: GET /usaha/" in logged and "Traceback" not in logged, logged
