"""The load test: 50 users for 5 minutes against the production server on loopback, on a
city (40,000 businesses) and then on a province (1,000,000).

    .venv/bin/python -m benchmarks.load            # both, 50 users, 300 s each
    LOAD_USERS=10 LOAD_SECONDS=30 LOAD_BUSINESSES=2000 LOAD_PROVINCE_BUSINESSES=5000 \
        .venv/bin/python -m benchmarks.load        # small; LOAD_PROVINCE_BUSINESSES=0: city only

Builds each registry in a scratch PostgreSQL database (BENCH_LOAD_DB): the city with
`naikkelas demo`, the province with set-based SQL (benchmarks.province) plus what the
users need (the demo accounts, a catalogue, standings, targets). Serves it with gunicorn
beside the job worker (benchmarks.serving), drives it with locust
(benchmarks/locustfile.py: volunteers, curators, leadership, the public), then prints
throughput, p50/p95/p99 per request kind and errors, how old the leadership figures
were that readers were shown (p50, p95 and the oldest, in seconds: the job worker counts
them again in the background), and reconciles every accepted write with the audit log;
with both sizes, the two side by side at the end. Writes the figures to bench/load.json
and bench/load-province.json. Prints figures; never asserts on time.
Exit 1 on an error or a write that does not reconcile.
"""

import csv
import io
import json
import os
import random
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.results import Figure, machine, record
from benchmarks.scratch import Scratch, timed
from benchmarks.serving import (
    BIN,
    LOCUSTFILE,
    THREADS,
    WORKERS,
    collect_static,
    production_env,
    serve,
)

USERS = int(os.environ.get("LOAD_USERS", "50"))
SECONDS = int(os.environ.get("LOAD_SECONDS", "300"))
BUSINESSES = int(os.environ.get("LOAD_BUSINESSES", "40000"))
PROVINCE_BUSINESSES = int(os.environ.get("LOAD_PROVINCE_BUSINESSES", "1000000"))
# The last seconds of the run only read (locustfile.WRITES_UNTIL): no write in flight at
# the stop, so every accepted write can be matched with its audit entry.
WRITE_PAUSE = min(15, SECONDS // 10)
SCRATCH = Scratch("LOAD", "naikkelas_bench_load")
# The kinds of request leadership waits on; issue 21's target for their p95, in ms.
LEADERSHIP = ("/dashboard/", "/api/v1/stats/")
LEADERSHIP_P95 = 150.0

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connections  # noqa: E402
from django.db.models import Count  # noqa: E402

from naikkelas.accounts.models import User  # noqa: E402
from naikkelas.core.models import AuditEntry  # noqa: E402
from naikkelas.regions.models import Region  # noqa: E402

# Writes the locustfile makes and the audit action each leaves.
WRITES = {
    "edit business [write]": "business.updated",
    "verify business [write]": "business.verified",
}


def audit_counts() -> dict[str, int]:
    return dict(
        AuditEntry.objects.filter(action__in=WRITES.values())
        .values_list("action")
        .annotate(n=Count("id"))
        .values_list("action", "n")
    )


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
    from django.test import Client, override_settings

    from naikkelas.operations.piiscan import scan
    from naikkelas.registry import listing

    exports = SCRATCH.folder / "exports"
    exports.mkdir(exist_ok=True)
    admin = Client()
    admin.force_login(User.objects.get(username="admin"))
    # A province's kelurahan holds more rows than a download answers at once (the view
    # hands it to the job worker, which has stopped): the same file, written inline.
    with override_settings(NAIKKELAS_EXPORT_INLINE_MAX=max(BUSINESSES, PROVINCE_BUSINESSES)):
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


def demo_city(businesses: int) -> None:
    call_command("demo", businesses=businesses, stdout=io.StringIO())


def province_city(businesses: int) -> None:
    """The province's registry by set-based SQL (`naikkelas demo` draws row by row in
    Python: 40,000 in about 20 s, so a million would take 25 times as long), then what
    the load test's users need from a demo city: the demo accounts (a volunteer per
    kelurahan, the curator, leadership), priced products of verified businesses and
    their catalogue listings, every standing, the targets, fresh statistics for the
    planner and fresh roll-ups (as after the demo's build). About half the businesses
    are submitted, for the curators to verify."""
    from benchmarks.province import execute, generate
    from naikkelas.demo.accounts import ensure_demo_accounts
    from naikkelas.demo.catalog import list_demo_businesses
    from naikkelas.demo.targets import create_demo_targets
    from naikkelas.graduation.engine import recompute
    from naikkelas.monitoring import tallies

    timed(f"generate {businesses:,} businesses (set-based SQL)", lambda: generate(businesses))
    ensure_demo_accounts()
    # One in fifty verified businesses sells a priced product; some are crisps, which
    # the public's catalogue search looks for.
    execute(
        """
        INSERT INTO registry_product (business_id, name, description, price)
        SELECT id, (ARRAY['Keripik tempe', 'Sambal pecel', 'Kopi bubuk', 'Batik tulis',
                          'Kue lapis'])[1 + id % 5], '', 5000 + (id % 40) * 2500
        FROM registry_business WHERE status = 'verified' AND id % 50 = 0
        """
    )
    list_demo_businesses(random.Random(2024))
    timed("recompute (class and readiness)", recompute)
    create_demo_targets(businesses)
    timed("VACUUM ANALYZE", lambda: execute("VACUUM ANALYZE"))
    timed("refresh of the roll-ups", tallies.refresh)


@dataclass(frozen=True)
class Scale:
    suite: str  # benchmarks.results' suite, and the figures' prefix
    businesses: int
    build: Callable[[int], None]
    out: str  # the file in bench/ with every request kind's figures


@dataclass
class Run:
    scale: Scale
    requests: list[dict[str, Any]]
    figures: list[Figure] = field(default_factory=list)
    ok: bool = False


SCALES = (
    Scale("load", BUSINESSES, demo_city, "load.json"),
    Scale("province load", PROVINCE_BUSINESSES, province_city, "load-province.json"),
)


def main() -> int:
    # Into the scratch folder, which outlives the databases: once for both sizes.
    timed("collectstatic", lambda: collect_static(production_env()))
    runs = [run(scale) for scale in SCALES if scale.businesses]
    if len(runs) > 1:
        side_by_side(runs)
    return 0 if all(r.ok for r in runs) else 1


def label(run: Run, figure: Figure) -> str:
    return figure.name.removeprefix(f"{run.scale.suite}: ")


def side_by_side(runs: list[Run]) -> None:
    """Each kind of request and each recorded figure, one column per registry size."""
    print(f"\nLoad side by side ({USERS} users, {SECONDS} s each):")
    sizes = "".join(f"{f'{r.scale.businesses:,} businesses':>30}" for r in runs)
    print(f"{'request (count, p50 / p95 / p99 ms)':<44}{sizes}")
    names = list(dict.fromkeys(q["name"] for r in runs for q in r.requests))
    for name in names:
        cells = ""
        for r in runs:
            q = next((q for q in r.requests if q["name"] == name), None)
            cell = "-"
            if q is not None:
                cell = f"{q['requests']}  {q['p50_ms']:.0f} / {q['p95_ms']:.0f} / {q['p99_ms']:.0f}"
            cells += f"{cell:>30}"
        print(f"{name[:44]:<44}{cells}")
    labels = list(dict.fromkeys(label(r, f) for r in runs for f in r.figures))
    for name in labels:
        cells = ""
        for r in runs:
            f = next((f for f in r.figures if label(r, f) == name), None)
            cells += f"{f'{f.value:,.1f} {f.unit}' if f else '-':>30}"
        print(f"{name[:44]:<44}{cells}")


def run(scale: Scale) -> Run:
    businesses = scale.businesses
    SCRATCH.create()
    env = production_env()
    try:
        timed("migrate", lambda: call_command("migrate", verbosity=0))
        timed(f"{scale.suite}: registry of {businesses:,}", lambda: scale.build(businesses))
        villages = [
            code.replace(".", "")
            for code in Region.objects.home().kelurahan().values_list("code", flat=True)
        ]
        before = audit_counts()
        with serve(SCRATCH.folder / f"served-{businesses}", env) as url:
            # Locust's own files (its figures are not the app's data) outside the folder
            # that the PII scan reads.
            report = Path(tempfile.mkdtemp(prefix="naikkelas-locust-")) / "load"
            ages_file = report.with_name("ages.csv")
            started = time.perf_counter()
            subprocess.run(
                [str(BIN / "locust"), "-f", str(LOCUSTFILE),
                 "--headless", "-u", str(USERS), "-r", str(max(1, USERS // 10)),
                 "-t", f"{SECONDS}s", "--host", url,
                 "--stop-timeout", "30",
                 "--csv", str(report), "--only-summary", "--loglevel", "WARNING"],
                env=env | {"LOAD_KELURAHAN": ",".join(villages), "LOAD_AGES": str(ages_file),
                           "LOAD_WRITES_UNTIL": str(time.time() + SECONDS - WRITE_PAUSE)},
                check=False,
            )  # fmt: skip
            elapsed = time.perf_counter() - started
        after = audit_counts()
        rows = list(csv.DictReader(report.with_name("load_stats.csv").open()))
        ages = figure_ages(ages_file)
        found = scan_for_personal_data()
    finally:
        # The next size re-creates the database: no connection may hold it.
        connections.close_all()
        SCRATCH.drop()

    print(
        f"\nLoad: {USERS} users for {SECONDS} s ({elapsed:.0f} s with ramp-up), gunicorn "
        f"{WORKERS} workers x {THREADS} threads, PostgreSQL, {businesses:,} businesses"
    )
    print(f"{'request':<34} {'count':>7} {'fail':>5} {'req/s':>7} {'p50':>6} {'p95':>6} {'p99':>6}")
    figures: list[dict[str, Any]] = []
    for row in rows:
        figure: dict[str, Any] = {
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
    name = scale.suite
    leadership = [
        Figure(f"{name}: {kind} {p}", by_name[kind][f"{p}_ms"], "ms",
               LEADERSHIP_P95 if p == "p95" else None)
        for kind in LEADERSHIP if kind in by_name for p in ("p50", "p95", "p99")
    ]  # fmt: skip
    recorded = [
        Figure(f"{name}: throughput", every["rps"], "req/s"),
        Figure(f"{name}: latency p50, all requests", every["p50_ms"], "ms"),
        Figure(f"{name}: latency p95, all requests", every["p95_ms"], "ms"),
        Figure(f"{name}: latency p99, all requests", every["p99_ms"], "ms"),
        *leadership,
        *(
            Figure(
                f"{name}: figures' age seen by readers, {stat}, {kind}", age[f"{stat}_s"], "s", 60
            )
            for kind, age in ages.items()
            for stat in ("p95", "max")
        ),
        Figure(f"{name}: errors", every["failures"], "requests", 0),
        Figure(f"{name}: writes not matched by an audit entry", unreconciled, "writes", 0),
        Figure(f"{name}: plaintext NIK or phone after the load", found, "found", 0),
    ]
    setting = f"{USERS} users for {SECONDS} s, {businesses:,} businesses, PostgreSQL"
    record(scale.suite, setting, recorded)
    out = Path("bench")
    out.mkdir(exist_ok=True)
    (out / scale.out).write_text(json.dumps({
        "machine": machine(),
        "users": USERS, "seconds": SECONDS, "businesses": businesses, "requests": figures,
        "writes": reconciled, "figures_age": ages, "pii_found": found, "ok": ok,
    }, indent=2))  # fmt: skip
    return Run(scale, figures, recorded, ok)


if __name__ == "__main__":
    raise SystemExit(main())
