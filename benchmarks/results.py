"""The one table of `make bench`: every figure the issues asked for, against its target.

Each benchmark hands its figures to `record()`, which writes bench/parts/<suite>.json
(the suites run as separate processes, each with its own scratch database). Then

    .venv/bin/python -m benchmarks.results              # --markdown: the README's table

prints one table (figure, value, target, ratio, met) of every part present and writes it
to bench/results.json. `make bench` clears bench/parts first, so the table holds one run.
Ratio is value / target: at most 1 meets a "below" target, at least 1 an "at least" one.
"""

import datetime
import json
import os
import platform
import sys
from dataclasses import asdict, dataclass, fields
from pathlib import Path

OUT = Path(os.environ.get("BENCH_OUT", "bench"))
PARTS = OUT / "parts"
# The order of the table: the issues' order.
SUITES = (
    "pages", "recompute", "imports", "dedup", "lookalikes", "monitoring", "load",
    "province load", "ceiling", "offline",
)  # fmt: skip


@dataclass(frozen=True)
class Figure:
    name: str
    value: float
    unit: str
    target: float | None = None
    higher_is_better: bool = False

    @property
    def ratio(self) -> float | None:
        return self.value / self.target if self.target else None

    @property
    def met(self) -> bool | None:
        if self.target is None:
            return None
        if self.higher_is_better:
            return self.value >= self.target
        return self.value <= self.target


FIELDS = [f.name for f in fields(Figure)]


def machine() -> str:
    cpu = platform.machine()
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}"


def record(suite: str, setting: str, figures: list[Figure]) -> None:
    """Keep a suite's figures for the table; `setting` says what they were measured on
    (database, size)."""
    assert suite in SUITES, suite
    PARTS.mkdir(parents=True, exist_ok=True)
    part = {
        "suite": suite,
        "setting": setting,
        "machine": machine(),
        "measured_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "figures": [asdict(f) for f in figures],
    }
    (PARTS / f"{suite.replace(' ', '-')}.json").write_text(json.dumps(part, indent=2))


def _number(value: float) -> str:
    if value >= 100 or value == int(value):
        return f"{value:,.0f}"
    return f"{value:,.3f}" if value < 1 else f"{value:,.1f}"


def _target(figure: Figure) -> str:
    if figure.target is None:
        return ""
    sign = ">=" if figure.higher_is_better else "<="
    return f"{sign} {_number(figure.target)}"


def markdown() -> str:
    """The table of bench/results.json as the README shows it."""
    results = json.loads((OUT / "results.json").read_text())
    lines = ["| figure | value | target | ratio | met |", "|---|---:|---:|---:|---|"]
    settings = {s["suite"]: s["setting"] for s in results["suites"]}
    suite = ""
    for raw in results["figures"]:
        if raw["suite"] != suite:
            suite = raw["suite"]
            lines.append(f"| **{suite}**: {settings[suite]} | | | | |")
        figure = Figure(**{k: raw[k] for k in FIELDS})
        ratio = f"{figure.ratio:.2f}" if figure.ratio is not None else ""
        met = {None: "", True: "yes", False: "**no**"}[figure.met]
        lines.append(f"| {figure.name} | {_number(figure.value)} {figure.unit} | "
                     f"{_target(figure)} | {ratio} | {met} |")  # fmt: skip
    return "\n".join(lines)


def main() -> int:
    if sys.argv[1:] == ["--markdown"]:
        print(markdown())
        return 0
    files = [PARTS / f"{suite.replace(' ', '-')}.json" for suite in SUITES]
    parts = [json.loads(f.read_text()) for f in files if f.exists()]
    if not parts:
        print(f"no figures in {PARTS}: run `make bench` first", file=sys.stderr)
        return 1
    rows = []
    print(f"{'figure':<60} {'value':>12} {'unit':<10} {'target':>12} {'ratio':>7}  met")
    for part in parts:
        print(f"-- {part['suite']}: {part['setting']} ({part['measured_at']})")
        for raw in part["figures"]:
            figure = Figure(**raw)
            met = {None: "", True: "yes", False: "NO"}[figure.met]
            ratio = f"{figure.ratio:.2f}" if figure.ratio is not None else ""
            print(f"{figure.name[:60]:<60} {_number(figure.value):>12} {figure.unit:<10} "
                  f"{_target(figure):>12} {ratio:>7}  {met}")  # fmt: skip
            rows.append(raw | {"suite": part["suite"], "ratio": figure.ratio, "met": figure.met})
    machines = sorted({p["machine"] for p in parts})
    print(f"\nmachine: {'; '.join(machines)}")
    OUT.mkdir(exist_ok=True)
    (OUT / "results.json").write_text(json.dumps({
        "machine": machines,
        "suites": [{k: p[k] for k in ("suite", "setting", "measured_at")} for p in parts],
        "figures": rows,
    }, indent=2))  # fmt: skip
    print(f"written to {OUT / 'results.json'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
