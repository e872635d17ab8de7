"""Time the leadership dashboard and `GET /api/v1/stats/` over a large registry on
PostgreSQL, reading the roll-ups (monitoring.tallies).

    .venv/bin/python -m benchmarks.monitoring            # 1,000,000 businesses
    BENCH_MONITORING_N=100000 .venv/bin/python -m benchmarks.monitoring

Issue 6's targets: with 1,000,000 businesses, the dashboard's server time under 150 ms
and /api/v1/stats/ under 50 ms. Creates a scratch database (BENCH_MONITORING_DB, default
naikkelas_bench_monitoring) on the server of BENCH_MONITORING_ADMIN_URL, fills it as
benchmarks.recompute does (set-based SQL), computes every standing, confirms a share of
the proposed graduations, times the first refresh of the roll-ups, then requests each
page BENCH_MONITORING_RUNS times (default 30) through Django's test client as the
leadership viewer and prints median and 95th percentile, with the queries per request.
The live count the stats API used before the roll-ups is timed too, for comparison.
Drops the database at the end (BENCH_MONITORING_KEEP=1 keeps it).

Prints figures; never asserts on time.
"""

import os
import statistics
import time
from collections.abc import Callable
from typing import Any

from benchmarks.results import Figure, record
from benchmarks.scratch import Scratch, timed

N = int(os.environ.get("BENCH_MONITORING_N", "1000000"))
RUNS = int(os.environ.get("BENCH_MONITORING_RUNS", "30"))
KEEP = os.environ.get("BENCH_MONITORING_KEEP") == "1"

SCRATCH = Scratch("MONITORING", "naikkelas_bench_monitoring")

import django  # noqa: E402

django.setup()

from django.db import connection, connections  # noqa: E402
from django.db.models import Count, Exists, OuterRef, Q  # noqa: E402
from django.test import Client  # noqa: E402

PASSWORD = "bench-pass-123"  # noqa: S105 (an account of a scratch database)


def _measure(label: str, action: Callable[[], object]) -> tuple[float, float]:
    action()  # warm: the first request compiles templates and fills caches
    times = []
    queries: list[str] = []

    def count(execute: Any, sql: str, *args: Any) -> Any:
        queries.append(sql)
        return execute(sql, *args)

    # A wrapper, not CaptureQueriesContext: a request resets Django's query log.
    with connection.execute_wrapper(count):
        action()
    for _ in range(RUNS):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    median = statistics.median(times)
    print(f"{label:<52} median {median:7.1f} ms   p95 {p95:7.1f} ms   {len(queries)} queries")
    return median, p95


def _live_stats() -> dict[str, int]:
    """What /api/v1/stats/ computed before the roll-ups, for the whole city."""
    from naikkelas.graduation.models import Graduation, GraduationStatus
    from naikkelas.registry.models import Business, Status

    graduated = Graduation.objects.filter(
        business=OuterRef("pk"), status=GraduationStatus.CONFIRMED
    )
    return (
        Business.objects.exclude(status=Status.MERGED)
        .filter(kelurahan__code__startswith="35.73.")
        .annotate(x_graduated=Exists(graduated))
        .aggregate(
            businesses=Count("pk"),
            verified=Count("pk", filter=Q(status=Status.VERIFIED)),
            ready=Count("pk", filter=Q(standing__ready=True)),
            graduated=Count("pk", filter=Q(x_graduated=True)),
            exporters=Count("pk", filter=Q(exports=True)),
        )
    )


def main() -> None:
    from benchmarks.province import prepare, server
    from naikkelas.accounts.models import Role, User
    from naikkelas.demo.targets import create_demo_targets
    from naikkelas.graduation.engine import recompute
    from naikkelas.graduation.models import GraduationStatus
    from naikkelas.monitoring import tallies
    from naikkelas.monitoring.models import Tally

    SCRATCH.create()
    try:
        prepare(N, SCRATCH.database)
        timed("recompute (class and readiness)", recompute)
        # Half the proposals confirmed, decided over the last 200 days; then statistics.
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE graduation_graduation SET status = %s, "
                "decided_at = now() - (id %% 200) * interval '1 day' WHERE id %% 2 = 0",
                [GraduationStatus.CONFIRMED],
            )
            cursor.execute("VACUUM ANALYZE")
        User.objects.create_user("admin", password=PASSWORD, role=Role.ADMIN)
        User.objects.create_user("pimpinan", password=PASSWORD, role=Role.LEADER)
        create_demo_targets(N)
        refresh, _ = timed("refresh of the roll-ups (first, whole registry)", tallies.refresh)
        print(f"  {Tally.objects.count():,} roll-up rows\n")

        client = Client()
        client.login(username="pimpinan", password=PASSWORD)
        print(f"{RUNS} requests each, as the leadership viewer:")
        dashboard = _measure("GET /dashboard/", lambda: client.get("/dashboard/"))
        district = _measure(
            "GET /dashboard/?wilayah=35.73.01 (a kecamatan)",
            lambda: client.get("/dashboard/?wilayah=35.73.01"),
        )
        stats = _measure("GET /api/v1/stats/", lambda: client.get("/api/v1/stats/"))
        print(f"  {client.get('/api/v1/stats/').json()}")
        live = _measure("live count of the same stats (before roll-ups)", _live_stats)
        print(f"  {_live_stats()}")
        # Issue 6's targets: the dashboard's server time under 150 ms, stats under 50 ms.
        figures = [Figure("roll-ups, first refresh of the whole registry", refresh, "s")]
        for label, (median, p95), target in (
            ("dashboard", dashboard, 150.0),
            ("dashboard, a kecamatan", district, 150.0),
            ("/api/v1/stats/", stats, 50.0),
            ("the same stats counted live (before roll-ups)", live, None),
        ):
            figures.append(Figure(f"{label}, median", median, "ms", target))
            figures.append(Figure(f"{label}, p95", p95, "ms", target))
        record("monitoring", f"{server().split(' (')[0]}, {N:,} businesses", figures)
    finally:
        connections.close_all()
        if KEEP:
            print(f"\nkept database {SCRATCH.database}")
        else:
            SCRATCH.drop()


if __name__ == "__main__":
    main()
