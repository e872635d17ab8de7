"""What the dashboard and the reports show, computed from the roll-ups for one scope.

Every breakdown is built from rows of one dimension of the same roll-ups, so each adds
up to the headline total by construction (`Breakdown.total`), unknowns included.
"""

import datetime
import functools
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from naikkelas.monitoring import drawing, tallies
from naikkelas.monitoring.models import (
    STATE_INDICATORS,
    UNKNOWN,
    Dimension,
    Indicator,
    Tally,
    TallyState,
    Target,
)
from naikkelas.regions.models import Level
from naikkelas.registry.kbli import SECTOR_NAMES
from naikkelas.registry.models import Gender, SizeClass

# The business figures (one per business), in the order the page shows them.
BUSINESS_COLUMNS = ("registered", "verified", "ready", "graduated", "exporters")
# What happens in a month, in the order the trend table shows them.
EVENT_COLUMNS = ("registered", "verified", "graduated", "programme_completions", "credit_disbursed")
# What the map can be shaded by. (Businesses per 1,000 inhabitants is not among them:
# the shipped population figures stop at the city.)
MAP_METRICS = BUSINESS_COLUMNS


def grouped(n: float) -> str:
    """A whole number as Indonesians write it: 21.270."""
    return f"{round(n):,}".replace(",", ".")


def column_label(column: str) -> str:
    return str(Indicator(column).label)


@dataclass
class Place:
    code: str
    name: str
    level: int
    parent: str
    population: int | None
    outline: str  # SVG path data on the map, "" when the boundary is not known


@dataclass
class Row:
    key: str
    label: str
    figures: dict[str, int]
    share: float = 0.0  # of the registered total, in percent
    population: int | None = None
    href: str = ""

    @property
    def cells(self) -> list[int]:
        return [self.figures[c] for c in BUSINESS_COLUMNS]

    @property
    def events(self) -> list[int]:
        """A month's events, in the order of EVENT_COLUMNS."""
        return [self.figures[c] for c in EVENT_COLUMNS]

    @property
    def per_thousand(self) -> float | None:
        if not self.population:
            return None
        return self.figures["registered"] * 1000 / self.population


@dataclass
class Breakdown:
    title: str
    rows: list[Row]
    total: dict[str, int]

    @property
    def total_cells(self) -> list[int]:
        return [self.total[c] for c in BUSINESS_COLUMNS]

    def adds_up(self) -> bool:
        return all(sum(r.figures[c] for r in self.rows) == self.total[c] for c in tallies.COLUMNS)


@dataclass
class Progress:
    target: Target
    achieved: int
    # None when the indicator has no date (a state) or the period has not begun.
    projected: int | None
    reached_on: datetime.date | None
    verdict: str

    @property
    def percent(self) -> int:
        return (
            min(100, round(self.achieved * 100 / self.target.value)) if self.target.value else 100
        )


@dataclass
class Scope:
    """Where the figures are for: a region the user drilled down to, within their scope."""

    kelurahan: list[str]
    region: Place | None  # None: the whole city
    places: dict[str, Place]
    trail: list[Place] = field(default_factory=list)


def places(state: TallyState) -> dict[str, Place]:
    """The city, its kecamatan and kelurahan, as the last refresh saw them."""
    return {row[0]: Place(*row) for row in state.places}


def city_kelurahan(known: dict[str, Place]) -> list[str]:
    return [p.code for p in known.values() if p.level == Level.VILLAGE]


def scope(kelurahan: Iterable[str], region_code: str, known: dict[str, Place]) -> Scope:
    """The user's kelurahan narrowed to a kecamatan or kelurahan (empty: all of them).
    Raises LookupError for a code that is not one of the city's regions."""
    allowed = sorted(kelurahan)
    region = known.get(region_code)
    if region_code and region is None:
        raise LookupError(region_code)
    if region is None or region.level < Level.DISTRICT:
        return Scope(allowed, None, known)
    inside = [c for c in allowed if c == region.code or c.startswith(region.code + ".")]
    trail = [known[region.parent]] if region.parent in known else []
    return Scope(inside, region, known, [*trail, region])


def rows_of(rows: Iterable[Tally], dimension: str) -> list[Tally]:
    return [r for r in rows if r.dimension == dimension]


def totals_of(rows: Sequence[Tally]) -> dict[str, int]:
    # Every business is in exactly one size bucket, so the size rows give the totals.
    return tallies.totals(rows_of(rows, Dimension.SIZE))


def _grouped_by(rows: Iterable[Tally], key: Any) -> dict[str, dict[str, int]]:
    sums: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(tallies.COLUMNS, 0))
    for row in rows:
        bucket = sums[key(row)]
        for column in tallies.COLUMNS:
            bucket[column] += getattr(row, column)
    return sums


def _with_shares(rows: list[Row], total: dict[str, int]) -> list[Row]:
    for row in rows:
        row.share = (
            row.figures["registered"] * 100 / total["registered"] if total["registered"] else 0
        )
    return rows


def breakdown(
    title: str,
    rows: Sequence[Tally],
    dimension: str,
    labels: dict[str, str],
    total: dict[str, int],
) -> Breakdown:
    """One dimension's buckets in the order of `labels` (unknown last), then any other;
    `total` is `totals_of(rows)`."""
    sums = _grouped_by(rows_of(rows, dimension), lambda r: r.bucket)
    order = [k for k in labels if k in sums] + sorted(k for k in sums if k not in labels)
    return Breakdown(
        title,
        _with_shares([Row(k, labels.get(k, k), sums[k]) for k in order], total),
        total,
    )


def size_labels() -> dict[str, str]:
    return {**{v: str(label) for v, label in SizeClass.choices}, UNKNOWN: _("Unknown")}


def sector_labels() -> dict[str, str]:
    return {**{k: f"{k} — {v}" for k, v in SECTOR_NAMES.items()}, UNKNOWN: _("Unknown")}


def gender_labels() -> dict[str, str]:
    return {**{v: str(label) for v, label in Gender.choices}, UNKNOWN: _("Unknown")}


def areas(rows: Sequence[Tally], where: Scope, total: dict[str, int]) -> Breakdown:
    """The level below the region: kecamatan of the city, kelurahan of a kecamatan, the
    kelurahan itself at the bottom (whose row leads to the business list); `total` is
    `totals_of(rows)`."""
    size_rows = rows_of(rows, Dimension.SIZE)
    region = where.region
    if region is None:

        def key(r: Tally) -> str:
            return r.kelurahan_code[:8]

        title = _("By kecamatan")
    else:

        def key(r: Tally) -> str:
            return r.kelurahan_code

        title = _("By kelurahan")
    sums = _grouped_by(size_rows, key)
    # Every region of the level is listed, with zeros where nothing is registered.
    codes = sorted({c[:8] for c in where.kelurahan} if region is None else where.kelurahan)
    out = []
    for code in codes:
        place = where.places.get(code)
        figures = sums.get(code, dict.fromkeys(tallies.COLUMNS, 0))
        out.append(
            Row(
                code,
                place.name if place else code,
                figures,
                population=_population(code, where.places),
                href=drill_href(code),
            )
        )
    return Breakdown(title, _with_shares(out, total), total)


def _population(code: str, known: dict[str, Place]) -> int | None:
    """A region's population; a kecamatan's is its kelurahan's when it has none itself."""
    place = known.get(code)
    if place is not None and place.population:
        return place.population
    under = [p.population for p in known.values() if p.parent == code]
    return sum(under) if under and all(under) else None  # type: ignore[arg-type]


def drill_href(code: str) -> str:
    """A kecamatan opens its kelurahan; a kelurahan opens its businesses in the list."""
    if len(code) > 8:
        return f"{_url('business_list')}?kecamatan={code[:8]}&kelurahan={code}"
    return f"{_url('dashboard')}?wilayah={code}"


@functools.cache
def _url(name: str) -> str:
    # Resolved once: a page links every kelurahan, and the URL map does not change.
    return reverse(name)


def months(rows: Sequence[Tally], start: str, end: str) -> list[Row]:
    """Events per month from `start` to `end` ("YYYY-MM", inclusive), gaps as zeros."""
    sums = _grouped_by(rows_of(rows, Dimension.MONTH), lambda r: r.bucket)
    known = sorted(k for k in sums if k != UNKNOWN)
    if not known:
        return []
    first = max(start or known[0], known[0]) if start else known[0]
    last = min(end, known[-1]) if end else known[-1]
    out = []
    year, month = int(first[:4]), int(first[5:7])
    while f"{year:04d}-{month:02d}" <= last:
        key = f"{year:04d}-{month:02d}"
        out.append(Row(key, key, sums.get(key, dict.fromkeys(tallies.COLUMNS, 0))))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def in_period(rows: Sequence[Tally], column: str, start: datetime.date, end: datetime.date) -> int:
    """Events of a column in the months from `start` to `end` (first days of months)."""
    first, last = f"{start:%Y-%m}", f"{end:%Y-%m}"
    return sum(
        getattr(r, column)
        for r in rows_of(rows, Dimension.MONTH)
        if r.bucket != UNKNOWN and first <= r.bucket <= last
    )


def _month_end(first_day: datetime.date) -> datetime.date:
    following = (first_day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return following - datetime.timedelta(days=1)


def progress(
    target: Target, rows: Sequence[Tally], total: dict[str, int], today: datetime.date
) -> Progress:
    """How far a target is, and whether the pace so far reaches it by the period's end.
    `rows` are the roll-ups of the target's region, `total` their totals."""
    if target.indicator in STATE_INDICATORS:
        achieved = total[target.indicator]
        verdict = _("Reached") if achieved >= target.value else _("Not yet reached")
        return Progress(target, achieved, None, None, verdict)
    start, end = target.starts_on, _month_end(target.ends_on)
    achieved = in_period(rows, target.indicator, target.starts_on, target.ends_on)
    if achieved >= target.value:
        return Progress(target, achieved, achieved, None, _("Reached"))
    if today < start:
        return Progress(target, achieved, None, None, _("Not started"))
    if today > end:
        return Progress(target, achieved, achieved, None, _("Missed"))
    elapsed = (today - start).days + 1
    length = (end - start).days + 1
    pace = achieved / elapsed
    projected = math.floor(pace * length)
    if pace == 0:
        return Progress(target, achieved, 0, None, _("No progress yet at this pace"))
    reached_on = start + datetime.timedelta(days=math.ceil(target.value / pace) - 1)
    verdict = _("On track") if reached_on <= end else _("Behind: not reached at this pace")
    return Progress(target, achieved, projected, reached_on, verdict)


def targets_for(where: Scope) -> list[Target]:
    """The targets of the region shown (the city's on the city page): the figures on the
    page are that region's, so they measure only its own targets."""
    if where.region is None:
        return list(Target.objects.filter(region__isnull=True))
    return list(Target.objects.filter(region_id=where.region.code).select_related("region"))


def the_map(rows: Sequence[Tally], where: Scope, metric: str) -> drawing.Drawing:
    """Every kelurahan of the city on the map; those outside the region shown are grey."""
    sums = _grouped_by(rows_of(rows, Dimension.SIZE), lambda r: r.kelurahan_code)
    inside = set(where.kelurahan)
    shown: list[drawing.Area] = []
    for place in where.places.values():
        if place.level != Level.VILLAGE or not place.outline:
            continue
        value: float | None = None
        text = "—"
        if place.code in inside:
            figures = sums.get(place.code, dict.fromkeys(tallies.COLUMNS, 0))
            value = figures[metric]
            text = grouped(value)
        shown.append(
            drawing.Area(place.code, place.name, place.outline, value, drill_href(place.code), text)
        )
    return drawing.choropleth(column_label(metric), shown, grouped)


@dataclass
class Dashboard:
    where: Scope
    total: dict[str, int]
    breakdowns: list[Breakdown]
    trend: list[Row]
    progress: list[Progress]
    map: drawing.Drawing
    charts: list[drawing.Drawing]

    @property
    def per_thousand(self) -> float | None:
        """Businesses per 1,000 inhabitants of the region shown, when its population is
        known."""
        code = self.where.region.code if self.where.region else settings.NAIKKELAS_REGION
        population = _population(code, self.where.places)
        return self.total["registered"] * 1000 / population if population else None


def build(where: Scope, metric: str = "registered", start: str = "", end: str = "") -> Dashboard:
    """Everything the page and the reports show; reads the roll-ups, which must be fresh."""
    rows = tallies.stored(where.kelurahan)
    total = totals_of(rows)
    by_area = areas(rows, where, total)
    by_size = breakdown(_("By size class"), rows, Dimension.SIZE, size_labels(), total)
    by_sector = breakdown(_("By sector"), rows, Dimension.SECTOR, sector_labels(), total)
    by_gender = breakdown(_("By owner's gender"), rows, Dimension.GENDER, gender_labels(), total)
    trend = months(rows, start, end)
    today = timezone.localdate()
    charts = [
        drawing.column_chart(
            _("Registered per month"), [(r.key, r.figures["registered"]) for r in trend]
        ),
        drawing.column_chart(
            _("Curated (verified) per month"), [(r.key, r.figures["verified"]) for r in trend]
        ),
        drawing.bar_chart(
            _("Businesses by size class"),
            [(r.label, r.figures["registered"]) for r in by_size.rows],
            grouped,
        ),
        drawing.bar_chart(
            _("Businesses by sector"),
            [(r.label, r.figures["registered"]) for r in by_sector.rows],
            grouped,
        ),
    ]
    return Dashboard(
        where=where,
        total=total,
        breakdowns=[by_area, by_size, by_sector, by_gender],
        trend=trend,
        progress=[progress(t, rows, total, today) for t in targets_for(where)],
        map=the_map(rows, where, metric),
        charts=charts,
    )
