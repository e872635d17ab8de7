"""The server's ceiling: the load test's mix of people, more of them each step, against
the production set-up on this machine, until p95 passes 500 ms or anything fails.

    .venv/bin/python -m benchmarks.ceiling       # 40,000 businesses, 10 ... 400 users
    CEILING_BUSINESSES=2000 CEILING_STEPS=5,10 CEILING_WARMUP=5 CEILING_SECONDS=20 \\
        .venv/bin/python -m benchmarks.ceiling   # small

Builds the demo city (CEILING_BUSINESSES, default 40,000) in a scratch PostgreSQL
database (BENCH_CEILING_DB), serves it as the load test does (benchmarks.serving:
gunicorn 4 workers x 4 threads with TLS, beside the job worker) and runs one locust
with the step shape of benchmarks/steps.py: CEILING_STEPS users in turn, each step a
warm-up (CEILING_WARMUP s, default 15) and a measured part (CEILING_SECONDS, default 60).
Prints each step (users, requests/s, p50/p95/p99, failures) and the ceiling: the highest
throughput of a step with p95 at most 500 ms and nothing failed. Locust runs on the same
two cores as the server; its own CPU time is printed, so that a run where the load
generator, not the server, ran out of CPU can be told apart. Prints figures; never
asserts on time.
"""

import io
import json
import os
import resource
import subprocess
import tempfile
import time
from pathlib import Path

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

BUSINESSES = int(os.environ.get("CEILING_BUSINESSES", "40000"))
STEPS = os.environ.get("CEILING_STEPS", "10,25,50,100,150,200,300,400")
P95_LIMIT = float(os.environ.get("CEILING_P95_MS", "500"))
SCRATCH = Scratch("CEILING", "naikkelas_bench_ceiling")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connections  # noqa: E402

from naikkelas.regions.models import Region  # noqa: E402


def step_load(url: str, env: dict[str, str], out: Path) -> float:
    """Run the step load; return locust's own CPU seconds."""
    villages = [
        code.replace(".", "")
        for code in Region.objects.home().kelurahan().values_list("code", flat=True)
    ]
    # The server and the worker are children too, but not yet waited for: only locust's
    # time is in the children's usage once it has exited.
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(
        [str(BIN / "locust"), "-f", f"{LOCUSTFILE},{LOCUSTFILE.with_name('steps.py')}",
         "--headless", "--host", url, "--stop-timeout", "10", "--only-summary",
         "--loglevel", "WARNING"],
        env=env | {"LOAD_KELURAHAN": ",".join(villages), "CEILING_OUT": str(out),
                   "CEILING_STEPS": STEPS, "CEILING_P95_MS": str(P95_LIMIT)},
        check=False, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> int:
    SCRATCH.create()
    env = production_env()
    out = Path(tempfile.mkdtemp(prefix="naikkelas-ceiling-")) / "steps.jsonl"
    try:
        print(f"machine: {machine()}")
        timed("migrate", lambda: call_command("migrate", verbosity=0))
        timed(
            f"demo city of {BUSINESSES:,}",
            lambda: call_command("demo", businesses=BUSINESSES, stdout=io.StringIO()),
        )
        timed("collectstatic", lambda: collect_static(env))
        with serve(SCRATCH.folder, env) as url:
            started = time.perf_counter()
            cpu = step_load(url, env, out)
            elapsed = time.perf_counter() - started
    finally:
        connections.close_all()
        SCRATCH.drop()

    steps = [json.loads(line) for line in out.read_text().splitlines()] if out.exists() else []
    print(
        f"\nCeiling: gunicorn {WORKERS} workers x {THREADS} threads with the job worker, "
        f"PostgreSQL, {BUSINESSES:,} businesses; steps of {STEPS} users"
    )
    print(f"{'users':>6} {'req/s':>7} {'p50':>6} {'p95':>6} {'p99':>6} {'fail':>5}")
    for step in steps:
        print(f"{step['users']:>6} {step['rps']:>7.1f} {step['p50_ms']:>6.0f} "
              f"{step['p95_ms']:>6.0f} {step['p99_ms']:>6.0f} {step['failures']:>5}")  # fmt: skip
        for failure, n in step["failed"].items():
            print(f"         {n} x {failure}")
    print(f"locust's own CPU: {cpu:.0f} s in {elapsed:.0f} s ({cpu / elapsed:.0%} of one core)")
    within = [s for s in steps if not s["failures"] and s["p95_ms"] <= P95_LIMIT]
    if not within:
        print(f"no step stayed within p95 {P95_LIMIT:.0f} ms with nothing failed")
        return 1
    best = max(within, key=lambda s: s["rps"])
    print(
        f"ceiling: {best['rps']:.1f} requests/s with {best['users']} users "
        f"(p95 {best['p95_ms']:.0f} ms, nothing failed)"
    )
    figures = [
        Figure("ceiling: highest throughput, p95 <= 500 ms, nothing failed", best["rps"], "req/s"),
        Figure("ceiling: users at that throughput", best["users"], "users"),
        Figure("ceiling: p95 at that throughput", best["p95_ms"], "ms", P95_LIMIT),
        Figure("ceiling: locust's own CPU, share of one core", 100 * cpu / elapsed, "%"),
    ]
    beyond = steps[-1] if steps[-1] not in within else None
    if beyond is not None:
        figures += [
            Figure("ceiling: the step past it, users", beyond["users"], "users"),
            Figure("ceiling: the step past it, throughput", beyond["rps"], "req/s"),
            Figure("ceiling: the step past it, p95", beyond["p95_ms"], "ms"),
            Figure("ceiling: the step past it, failures", beyond["failures"], "requests"),
        ]
    setting = (
        f"gunicorn {WORKERS} workers x {THREADS} threads, PostgreSQL, {BUSINESSES:,} "
        f"businesses, steps of {STEPS} users"
    )
    record("ceiling", setting, figures)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
