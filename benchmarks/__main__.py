"""Build a demo city in a scratch database and time the pages people use most.

    make bench                                  # 40,000 businesses on SQLite
    BENCH_BUSINESSES=5000 make bench            # smaller
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/naikkelas_bench make bench

Prints one line per figure: what, median and 95th percentile in milliseconds, queries.
"""

import os
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

SCRATCH = Path(tempfile.mkdtemp(prefix="naikkelas-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "naikkelas.settings")
os.environ["NAIKKELAS_VAR_DIR"] = str(SCRATCH)
os.environ["DATABASE_URL"] = os.environ.get(
    "BENCH_DATABASE_URL", f"sqlite:///{SCRATCH / 'bench.sqlite3'}"
)
os.environ.setdefault("NAIKKELAS_LOG_LEVEL", "ERROR")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402

from benchmarks.results import Figure, machine, record  # noqa: E402

REPEAT = int(os.environ.get("BENCH_REPEAT", "20"))
FIGURES: list[Figure] = []


def timed(label: str, action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    seconds = time.perf_counter() - start
    print(f"{label:<44} {seconds:9.1f} s")
    return seconds


def measure(label: str, client: Client, url: str) -> None:
    durations = []
    with override_settings(DEBUG=True):
        for _ in range(REPEAT):
            reset_queries()
            start = time.perf_counter()
            response = client.get(url)
            durations.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        queries = len(connection.queries)
    durations.sort()
    p95 = durations[min(len(durations) - 1, int(len(durations) * 0.95))]
    median = statistics.median(durations)
    print(f"{label:<44} {median:8.1f} ms  p95 {p95:7.1f} ms  {queries:3d} queries")
    FIGURES.append(Figure(f"{label}, median", median, "ms"))


def main() -> None:
    businesses = int(os.environ.get("BENCH_BUSINESSES", "40000"))
    vendor = os.environ["DATABASE_URL"].split(":", 1)[0]
    print(f"machine: {machine()}, {vendor}")
    print(f"businesses: {businesses:,}, {REPEAT} requests per page\n")
    timed("migrate (schema + 91,599 regions)", lambda: call_command("migrate", verbosity=0))
    with open(os.devnull, "w") as quiet:
        build = timed(
            f"demo city build ({businesses:,} businesses)",
            lambda: call_command("demo", businesses=businesses, seed=2024, stdout=quiet),
        )

    from naikkelas.registry.models import Business

    demo_password = "naikkelas-demo"  # noqa: S105  (the documented demo password)
    curator, volunteer = Client(), Client()
    assert curator.login(username="kurator", password=demo_password)
    assert volunteer.login(username="sahabat-3573011001", password=demo_password)
    some = Business.objects.filter(kelurahan_id="35.73.01.1001").order_by("id").first()
    assert some is not None
    last_page = Business.objects.count() // 25
    print()
    measure("business list, page 1 (curator)", curator, "/usaha/")
    measure(f"business list, page {last_page} (curator)", curator, f"/usaha/?page={last_page}")
    measure(
        "business list, kecamatan + status filter",
        curator,
        "/usaha/?kecamatan=35.73.04&status=verified",
    )
    measure("business list, name search", curator, "/usaha/?q=tempe")
    measure("business list (volunteer, one kelurahan)", volunteer, "/usaha/")
    measure("business detail", curator, f"/usaha/{some.pk}/")
    measure("curation queue", curator, "/kurasi/")
    measure("API business list, 50 items", curator, "/api/v1/businesses/")
    measure(
        "API list filtered by kelurahan", curator, "/api/v1/businesses/?kelurahan=35.73.01.1001"
    )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak memory of this process: {peak:.0f} MiB")
    FIGURES[:0] = [Figure(f"demo city build, {businesses:,} businesses", build, "s")]
    FIGURES.append(Figure("peak memory of the benchmark process", peak, "MiB"))
    record("pages", f"{vendor}, {businesses:,} businesses", FIGURES)


if __name__ == "__main__":
    sys.exit(main())
