"""The ceiling's step load (run by `python -m benchmarks.ceiling` beside locustfile.py,
not on its own): the load test's users, more of them each step.

Each step runs CEILING_WARMUP seconds (the new users sign in and settle) and then
CEILING_SECONDS measured; a request counts for the step in which it ends, and the
users' sign-ins count only if they fail. The load stops after the first step whose
measured p95 passes CEILING_P95_MS or in which anything failed (warm-up included), or
after the last step. Every finished step is appended to CEILING_OUT as one JSON line:
users, measured seconds, requests, failures, the failures' kinds, p50/p95/p99 in ms.
"""

import json
import os
import statistics
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from locust import LoadTestShape, events

STEPS = [int(n) for n in os.environ.get("CEILING_STEPS", "10,25,50").split(",")]
WARMUP = float(os.environ.get("CEILING_WARMUP", "15"))
SECONDS = float(os.environ.get("CEILING_SECONDS", "60"))
P95_LIMIT = float(os.environ.get("CEILING_P95_MS", "500"))
OUT = Path(os.environ.get("CEILING_OUT", "ceiling.jsonl"))
# New users arrive over this many seconds, not all in one instant (each signs in).
SPAWN_SECONDS = 5.0
# Signing in (a deliberately slow password hash) happens once a day per person, not in
# the working mix: a new step's sign-ins can only fail it, not count in its latencies.
SIGN_IN = {"login page", "login"}


@dataclass
class Step:
    users: int
    began: float
    times: list[float] = field(default_factory=list)  # measured, ms
    failures: Counter[str] = field(default_factory=Counter)

    def summary(self) -> dict[str, Any]:
        times = sorted(self.times)

        def at(share: float) -> float:
            return times[min(len(times) - 1, int(share * len(times)))] if times else 0.0

        return {
            "users": self.users, "seconds": SECONDS, "requests": len(times),
            "rps": len(times) / SECONDS, "failures": sum(self.failures.values()),
            "failed": dict(self.failures),
            "p50_ms": statistics.median(times) if times else 0.0,
            "p95_ms": at(0.95), "p99_ms": at(0.99),
        }  # fmt: skip


steps: list[Step] = []


@events.request.add_listener
def _count(name: str, response_time: float, exception: Exception | None, **_: Any) -> None:
    if not steps:
        return
    step = steps[-1]
    if exception is not None:
        step.failures[f"{name}: {exception}"[:120]] += 1
    elif name not in SIGN_IN and time.monotonic() >= step.began + WARMUP:
        step.times.append(response_time)


class StepLoad(LoadTestShape):
    def tick(self) -> tuple[int, float] | None:
        now = time.monotonic()
        if steps and now < steps[-1].began + WARMUP + SECONDS:
            return steps[-1].users, self._rate()
        if steps:
            summary = steps[-1].summary()
            with OUT.open("a") as out:
                out.write(json.dumps(summary) + "\n")
            if summary["failures"] or summary["p95_ms"] > P95_LIMIT:
                return None
        if len(steps) == len(STEPS):
            return None
        steps.append(Step(STEPS[len(steps)], now))
        return steps[-1].users, self._rate()

    @staticmethod
    def _rate() -> float:
        before = steps[-2].users if len(steps) > 1 else 0
        return max(1.0, (steps[-1].users - before) / SPAWN_SECONDS)
