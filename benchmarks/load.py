"""The load test: 50 users for 5 minutes against the production server on loopback.

    .venv/bin/python -m benchmarks.load            # 40,000-business demo, 50 users, 300 s
    LOAD_USERS=20 LOAD_SECONDS=60 LOAD_BUSINESSES=5000 .venv/bin/python -m benchmarks.load

Builds the demo city in a scratch PostgreSQL database (BENCH_LOAD_DB), serves it with
gunicorn (production settings: DEBUG off, collected static files) beside the job
worker, drives it with locust (benchmarks/locustfile.py: volunteers, curators,
leadership, the public), then prints throughput, p50/p95/p99 per request kind and
errors, how old the leadership figures were that readers were shown (p50, p95 and the
oldest, in seconds: the job worker counts them again in the background), and
reconciles every accepted write with the audit log. Writes the figures to
bench/load.json. Prints figures; never asserts on time. Exit 1 on an error or a write
that does not reconcile.
"""

import csv
import io
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.results import Figure, machine, record
from benchmarks.scratch import Scratch, timed

USERS = int(os.environ.get("LOAD_USERS", "50"))
SECONDS = int(os.environ.get("LOAD_SECONDS", "300"))
BUSINESSES = int(os.environ.get("LOAD_BUSINESSES", "40000"))
WORKERS = int(os.environ.get("LOAD_GUNICORN_WORKERS", "4"))
# The last seconds of the run only read (locustfile.WRITES_UNTIL): no write in flight at
# the stop, so every accepted write can be matched with its audit entry.
WRITE_PAUSE = min(15, SECONDS // 10)
SCRATCH = Scratch("LOAD", "naikkelas_bench_load")
BIN = Path(sys.executable).parent

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db.models import Count  # noqa: E402

from naikkelas.accounts.models import User  # noqa: E402
from naikkelas.core.models import AuditEntry  # noqa: E402
from naikkelas.regions.models import Region  # noqa: E402

# Writes the locustfile makes and the audit action each leaves.
WRITES = {
    "edit business [write]": "business.updated",
    "verify business [write]": "business.verified",
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def audit_counts() -> dict[str, int]:
    return dict(
        AuditEntry.objects.filter(action__in=WRITES.values())
        .values_list("action")
        .annotate(n=Count("id"))
        .values_list("action", "n")
    )


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
    import ssl
    import urllib.request

    unverified = ssl._create_unverified_context()  # noqa: S323  (our own loopback certificate)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2, context=unverified)  # noqa: S310
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"the server did not answer at {url}")


def figure_ages(path: Path) -> dict[str, dict[str, float]]:
    """Per reader (dashboard, stats) and over both: how many reads noted the figures'
    age, and its p50, p95 and maximum in seconds."""
    by_kind: dict[str, list[float]] = {}
    if path.exists():
        for line in path.read_text().splitlines():
            kind, age = line.split(",")
            by_kind.setdefault(kind, []).append(float(age))
            by_kind.setdefault("all readers", []).append(float(age))
    out = {}
    for kind, ages in sorted(by_kind.items()):
        ages.sort()
        out[kind] = {
            "reads": len(ages),
            "p50_s": ages[len(ages) // 2],
            "p95_s": ages[min(len(ages) - 1, round(0.95 * (len(ages) - 1)))],
            "max_s": ages[-1],
        }
    return out


def scan_for_personal_data() -> int:
    """After the load: the whole database, the server's and worker's logs, the files the
    app wrote and an export of every format must hold no plaintext NIK or phone."""
    from django.test import Client

    from naikkelas.operations.piiscan import scan
    from naikkelas.registry import listing

    exports = SCRATCH.folder / "exports"
    exports.mkdir(exist_ok=True)
    admin = Client()
    admin.force_login(User.objects.get(username="admin"))
    for export_format in listing.CONTENT_TYPES:
        answer = admin.get(f"/usaha/?kelurahan=35.73.01.1001&format={export_format}")
        assert answer.status_code == 200, answer.status_code
        (exports / f"usaha.{export_format}").write_bytes(answer.content)
    report = scan([SCRATCH.folder])  # what `naikkelas scan_pii FOLDER` runs
    for finding in report.findings:
        print(f"PII scan: {finding.kind} {finding.value} in {finding.where}")
    print(f"PII scan of the database ({report.values:,} values) and {report.files} log and "
          f"export files: {len(report.findings)} plaintext NIK or phone numbers")  # fmt: skip
    return len(report.findings)


def main() -> int:
    SCRATCH.create()
    env = os.environ | {"DJANGO_DEBUG": "0", "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost"}
    try:
        timed("migrate", lambda: call_command("migrate", verbosity=0))
        timed(
            f"demo city of {BUSINESSES:,}",
            lambda: call_command("demo", businesses=BUSINESSES, stdout=io.StringIO()),
        )
        # With the production settings' storage (hashed names and their manifest).
        collect = [str(BIN / "naikkelas"), "collectstatic", "--noinput", "-v0"]
        timed("collectstatic", lambda: subprocess.run(collect, env=env, check=True))
        villages = [
            code.replace(".", "")
            for code in Region.objects.home().kelurahan().values_list("code", flat=True)
        ]
        before = audit_counts()
        port = free_port()
        cert, key = self_signed(SCRATCH.folder)
        # Logs as production keeps them (INFO, every request in the access log), to files
        # that the PII scan reads afterwards.
        logs = SCRATCH.folder / "logs"
        logs.mkdir()
        served = env | {"NAIKKELAS_LOG_LEVEL": "INFO"}
        # Keep-alive longer than a user's longest pause (8 s): with gunicorn's default 2 s
        # the server closes idle connections just as clients reuse them, which a reverse
        # proxy in front (nginx keeps 75 s) would never show the users.
        server = subprocess.Popen(
            [str(BIN / "gunicorn"), "naikkelas.wsgi", "-b", f"127.0.0.1:{port}",
             "-w", str(WORKERS), "-k", "gthread", "--threads", "4", "--keep-alive", "30",
             "--log-level", "info", "--access-logfile", str(logs / "access.log"),
             "--certfile", str(cert), "--keyfile", str(key)],
            env=served, stderr=(logs / "gunicorn.log").open("w"),
        )  # fmt: skip
        worker = subprocess.Popen(
            [str(BIN / "naikkelas"), "worker"], env=served,
            stdout=(logs / "worker.log").open("w"), stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            wait_for(f"https://127.0.0.1:{port}/accounts/login/")
            # Locust's own files (its figures are not the app's data) outside the folder
            # that the PII scan reads.
            report = Path(tempfile.mkdtemp(prefix="naikkelas-locust-")) / "load"
            ages_file = report.with_name("ages.csv")
            started = time.perf_counter()
            subprocess.run(
                [str(BIN / "locust"), "-f", str(Path(__file__).with_name("locustfile.py")),
                 "--headless", "-u", str(USERS), "-r", str(max(1, USERS // 10)),
                 "-t", f"{SECONDS}s", "--host", f"https://127.0.0.1:{port}",
                 "--stop-timeout", "30",
                 "--csv", str(report), "--only-summary", "--loglevel", "WARNING"],
                env=env | {"LOAD_KELURAHAN": ",".join(villages), "LOAD_AGES": str(ages_file),
                           "LOAD_WRITES_UNTIL": str(time.time() + SECONDS - WRITE_PAUSE)},
                check=False,
            )  # fmt: skip
            elapsed = time.perf_counter() - started
        finally:
            server.terminate()
            worker.terminate()
            server.wait(30)
            worker.wait(30)
        after = audit_counts()
        rows = list(csv.DictReader(report.with_name("load_stats.csv").open()))
        ages = figure_ages(ages_file)
        found = scan_for_personal_data()
    finally:
        SCRATCH.drop()

    print(
        f"\nLoad: {USERS} users for {SECONDS} s ({elapsed:.0f} s with ramp-up), gunicorn "
        f"{WORKERS} workers x 4 threads, PostgreSQL, {BUSINESSES:,} businesses"
    )
    print(f"{'request':<34} {'count':>7} {'fail':>5} {'req/s':>7} {'p50':>6} {'p95':>6} {'p99':>6}")
    figures = []
    for row in rows:
        figure = {
            "name": row["Name"], "requests": int(row["Request Count"]),
            "failures": int(row["Failure Count"]), "rps": float(row["Requests/s"]),
            "p50_ms": float(row["50%"] or 0), "p95_ms": float(row["95%"] or 0),
            "p99_ms": float(row["99%"] or 0),
        }  # fmt: skip
        figures.append(figure)
        print(f"{figure['name'][:34]:<34} {figure['requests']:>7} {figure['failures']:>5} "
              f"{figure['rps']:>7.1f} {figure['p50_ms']:>6.0f} {figure['p95_ms']:>6.0f} "
              f"{figure['p99_ms']:>6.0f}")  # fmt: skip
    print(f"{'figures shown to leadership: age':<34} {'reads':>7} {'p50 s':>7} {'p95 s':>7} "
          f"{'max s':>7}")  # fmt: skip
    for kind, age in ages.items():
        print(f"{kind:<34} {age['reads']:>7} {age['p50_s']:>7.1f} {age['p95_s']:>7.1f} "
              f"{age['max_s']:>7.1f}")  # fmt: skip
    by_name = {f["name"]: f for f in figures}
    reconciled = {}
    for name, action in WRITES.items():
        accepted = by_name.get(name, {"requests": 0, "failures": 0})
        made = accepted["requests"] - accepted["failures"]
        logged = after.get(action, 0) - before.get(action, 0)
        reconciled[name] = {"accepted": made, "audited": logged}
        print(f"{name}: {made} accepted, {logged} '{action}' audit entries")
    total = by_name.get("Aggregated", {"failures": 0})
    reconciles = all(r["accepted"] == r["audited"] for r in reconciled.values())
    ok = total["failures"] == 0 and reconciles and not found
    print(
        "errors: none; every write reconciles; no plaintext NIK or phone"
        if ok
        else f"FAILED: {total['failures']} errors, writes reconcile: {reconciles}, "
        f"plaintext NIK or phone found: {found}"
    )
    unreconciled = sum(abs(r["accepted"] - r["audited"]) for r in reconciled.values())
    every = by_name["Aggregated"]
    record("load", f"{USERS} users for {SECONDS} s, {BUSINESSES:,} businesses, PostgreSQL", [
        Figure("load: throughput", every["rps"], "req/s"),
        Figure("load: latency p50, all requests", every["p50_ms"], "ms"),
        Figure("load: latency p95, all requests", every["p95_ms"], "ms"),
        Figure("load: latency p99, all requests", every["p99_ms"], "ms"),
        *(Figure(f"load: figures' age seen by readers, {stat}, {kind}", age[f"{stat}_s"], "s",
                 60) for kind, age in ages.items() for stat in ("p95", "max")),
        Figure("load: errors", every["failures"], "requests", 0),
        Figure("load: writes not matched by an audit entry", unreconciled, "writes", 0),
        Figure("load: plaintext NIK or phone after the load", found, "found", 0),
    ])  # fmt: skip
    out = Path("bench")
    out.mkdir(exist_ok=True)
    (out / "load.json").write_text(json.dumps({
        "machine": machine(),
        "users": USERS, "seconds": SECONDS, "businesses": BUSINESSES, "requests": figures,
        "writes": reconciled, "figures_age": ages, "pii_found": found, "ok": ok,
    }, indent=2))  # fmt: skip
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
