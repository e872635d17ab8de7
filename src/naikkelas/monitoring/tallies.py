"""The roll-ups: counting the registry once, and reading the counts for a scope.

`count` is the one piece of code that turns businesses into figures. `refresh` runs it
over every countable business of the city and stores the result; a user whose scope is a set of
kelurahan (the whole city, a volunteer's kelurahan) reads the stored rows, and a user
whose scope is not (a business owner) has `count` run over their own businesses live.
Either way the figures are the same ones.

**Off the write path.** A write never makes a reader count. Readers take the stored
roll-ups as they are (`snapshot`) with the moment they are exact at (`Snapshot.as_of`,
shown as "data per 10.31 WIB" and as the stats API's `as_of`); the job worker counts
again in the background (`refresh_when_due`, every `TICK` seconds while people write,
pausing `PAUSE_FACTOR` times as long as a count takes between two counts). Only the
very first reader of an install, with nothing stored yet, counts. Figures are at most
`pause + 2 x` the count's time old: about 5 s for a city of 40,000, 20 s for a province
of 1,000,000 (a count of 3.8 s), under 60 s while a count takes under 12 s.

Why a recount in the background and not deltas in the writing transactions: the
figures are exact by construction, since every refresh is the same `count` of one
snapshot of the registry (REPEATABLE READ on PostgreSQL, the write lock on SQLite) and
nothing can drift. Deltas would have to be right in every writer, including the
import's bulk inserts, the recompute's set-based SQL and a merge's moves of rows; each
sum needs the business's old and new bucket in every dimension (a first confirmed
graduation's month, a merge that retires a record with its enrolments); and fifty
writers adding to the same kelurahan's rows would queue on those rows' locks inside
their own transactions, which is the wait this removes from the readers. A count
costs the worker a few seconds at a province's size, at most a quarter of the time
while people write, and nothing while nobody does.
"""

import datetime
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import connection, transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from naikkelas.accounts.models import User
from naikkelas.graduation.models import Graduation, GraduationStatus
from naikkelas.monitoring import drawing
from naikkelas.monitoring.access import kelurahan_codes
from naikkelas.monitoring.models import UNKNOWN, Change, Dimension, Tally, TallyState
from naikkelas.programs.models import Enrolment, EnrolmentStatus, Referral, ReferralStatus
from naikkelas.regions.models import Level, Region, in_region
from naikkelas.registry.access import businesses_for, countable
from naikkelas.registry.models import Business, Status

COLUMNS = (
    "registered",
    "verified",
    "ready",
    "graduated",
    "exporters",
    "programme_completions",
    "credit_disbursed",
)

Key = tuple[str, str, str]  # (dimension, kelurahan code, bucket)


def count(businesses: QuerySet[Business]) -> list[Tally]:
    """The roll-up rows of these (countable) businesses, unsaved."""
    rows: dict[Key, Tally] = {}

    def add(dimension: str, kelurahan: str, bucket: Any, column: str, n: int) -> None:
        key = (dimension, kelurahan, _bucket(bucket))
        if key not in rows:
            rows[key] = Tally(kelurahan_code=key[1], dimension=key[0], bucket=key[2])
        setattr(rows[key], column, getattr(rows[key], column) + (n or 0))

    confirmed = Graduation.objects.filter(
        business=OuterRef("pk"), status=GraduationStatus.CONFIRMED
    )
    # One pass over the registry for the three breakdowns of businesses.
    groups = (
        businesses.order_by()
        .values("kelurahan_id", "standing__size_class", "sector", "owner__gender")
        .annotate(
            registered=Count("pk"),
            verified=Count("pk", filter=Q(status=Status.VERIFIED)),
            ready=Count("pk", filter=Q(standing__ready=True)),
            graduated=Count("pk", filter=Exists(confirmed)),
            exporters=Count("pk", filter=Q(exports=True)),
        )
    )
    per_business = ("registered", "verified", "ready", "graduated", "exporters")
    for g in groups:
        for dimension, bucket in (
            (Dimension.SIZE, g["standing__size_class"]),
            (Dimension.SECTOR, g["sector"]),
            (Dimension.GENDER, g["owner__gender"]),
        ):
            for column in per_business:
                add(dimension, g["kelurahan_id"], bucket, column, g[column])

    completed = Enrolment.objects.filter(status=EnrolmentStatus.COMPLETED, business__in=businesses)
    disbursed = Referral.objects.filter(status=ReferralStatus.DISBURSED, business__in=businesses)
    for queryset, column, value in (
        (completed, "programme_completions", Count("pk")),
        (disbursed, "credit_disbursed", Sum("amount_disbursed")),
    ):
        by_business = queryset.order_by().values(
            "business__kelurahan_id",
            "business__standing__size_class",
            "business__sector",
            "business__owner__gender",
        )
        for g in by_business.annotate(n=value):
            for dimension, bucket in (
                (Dimension.SIZE, g["business__standing__size_class"]),
                (Dimension.SECTOR, g["business__sector"]),
                (Dimension.GENDER, g["business__owner__gender"]),
            ):
                add(dimension, g["business__kelurahan_id"], bucket, column, g["n"])

    # Events by month.
    monthly: list[tuple[QuerySet[Any], str, str, Any]] = [
        (businesses, "kelurahan_id", "created_at", Count("pk")),
        (businesses.filter(status=Status.VERIFIED), "kelurahan_id", "verified_at", Count("pk")),
        (completed, "business__kelurahan_id", "completed_on", Count("pk")),
        (disbursed, "business__kelurahan_id", "answered_on", Sum("amount_disbursed")),
    ]
    columns = ("registered", "verified", "programme_completions", "credit_disbursed")
    for (queryset, kelurahan, moment, value), column in zip(monthly, columns, strict=True):
        by_month = (
            queryset.order_by()
            .annotate(month=TruncMonth(moment))
            .values(kelurahan, "month")
            .annotate(n=value)
        )
        for g in by_month:
            add(Dimension.MONTH, g[kelurahan], g["month"], column, g["n"])
    # A business graduates in the month of its first confirmed graduation, so that the
    # months add up to the businesses counted as graduated.
    first: dict[int, tuple[str, datetime.datetime | None]] = {}
    graduations = Graduation.objects.filter(
        status=GraduationStatus.CONFIRMED, business__in=businesses
    ).values_list("business_id", "business__kelurahan_id", "decided_at")
    for business_id, kelurahan, decided_at in graduations:
        earlier = first.get(business_id)
        if earlier is None or (decided_at and (earlier[1] is None or decided_at < earlier[1])):
            first[business_id] = (kelurahan, decided_at)
    for kelurahan, decided_at in first.values():
        month = timezone.localtime(decided_at).date().replace(day=1) if decided_at else None
        add(Dimension.MONTH, kelurahan, month, "graduated", 1)
    return list(rows.values())


def _bucket(value: Any) -> str:
    if value is None or value == "":
        return UNKNOWN
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    if isinstance(value, datetime.date):
        return f"{value:%Y-%m}"
    return str(value)


# How often the worker looks for writes the roll-ups miss (seconds), and how many times
# as long as a count took it waits after one before the next.
TICK = 5.0
PAUSE_FACTOR = 3
# The PostgreSQL advisory lock that makes refreshes queue (an arbitrary number of ours).
REFRESH_LOCK = 0x6E6B7461


@contextmanager
def _one_refresh_at_a_time() -> Iterator[None]:
    """On PostgreSQL, a lock taken before the refresh's transaction begins, so that its
    snapshot sees what the refresh before it stored. SQLite's IMMEDIATE transactions
    queue writers already."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [REFRESH_LOCK])
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [REFRESH_LOCK])


def refresh(only_if_stale: bool = False) -> TallyState:
    """Rebuild every roll-up from the registry, in one transaction, from one snapshot.

    On PostgreSQL the transaction is REPEATABLE READ (when it is a transaction of its
    own): all of `count`'s queries see the same registry, so the months, the size,
    sector and gender rows and the programme figures agree with each other, and the
    change marks deleted are exactly those of the writes counted; a write that commits
    while this runs leaves its mark behind for the next refresh. With `only_if_stale`, a
    refresh that queued behind another takes that one's result if no write came since.
    """
    outermost = not transaction.get_connection().in_atomic_block
    with _one_refresh_at_a_time(), transaction.atomic():
        # The moment counted: SQLite's write lock is held from here, and PostgreSQL's
        # snapshot is taken at the first query below.
        started, clock = timezone.now(), time.perf_counter()
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        state, _ = TallyState.objects.get_or_create(pk=1)
        if only_if_stale and state.refreshed_at and not Change.objects.exists():
            return state
        Change.objects.all().delete()
        # The city's businesses, as `businesses_for` gives them to a whole-city role.
        home = Business.objects.filter(in_region("kelurahan__code", settings.NAIKKELAS_REGION))
        rows = count(countable(home))
        Tally.objects.all().delete()
        Tally.objects.bulk_create(rows, batch_size=2000)
        state.places = place_rows()
        state.refreshed_at = started
        state.seconds = round(time.perf_counter() - clock, 3)
        state.save(update_fields=["places", "refreshed_at", "seconds"])
    return state


def pause(seconds: float) -> float:
    """How long the worker waits after a count that took `seconds` before the next one."""
    return max(TICK, PAUSE_FACTOR * seconds)


def refresh_when_due(now: datetime.datetime | None = None) -> float:
    """The job worker's periodic work (jobs.periodic, registered in apps.py): count the
    registry again when a write came since the last count and the pause after that
    count is over. Returns the seconds until it is worth looking again."""
    state = _state(with_places=False)
    if state is None or state.refreshed_at is None:
        return pause(refresh(only_if_stale=True).seconds)
    if state.missing_since is None:
        return TICK
    ended = state.refreshed_at + datetime.timedelta(seconds=state.seconds)
    waited = ((now or timezone.now()) - ended).total_seconds()
    if waited < pause(state.seconds):
        return pause(state.seconds) - waited
    return pause(refresh(only_if_stale=True).seconds)


def place_rows() -> list[list[Any]]:
    """The city, its kecamatan and kelurahan: [code, name, level, parent, population,
    outline on the map as SVG path data or ""]."""
    regions = list(
        Region.objects.home().values_list(
            "code", "name", "level", "parent_id", "population", "boundary"
        )
    )
    outlines = drawing.outlines({r[0]: r[5] for r in regions if r[2] == Level.VILLAGE and r[5]})
    return [[*r[:5], outlines.get(r[0], "")] for r in regions]


@dataclass(frozen=True)
class Snapshot:
    """The roll-ups as a reader finds them, and the moment they are exact at: now when
    they count every write, else the first write they miss (or their refresh, if that
    write's transaction began before it)."""

    state: TallyState
    as_of: datetime.datetime


def _state(with_places: bool) -> Any:
    """The state row with `missing_since`, the time of the first write it misses (None:
    none), in one query. Without places, their snapshot is not read (it is the largest
    part of the row)."""
    first_missed = Change.objects.order_by("id").values("at")[:1]
    states = TallyState.objects.annotate(missing_since=Subquery(first_missed)).filter(pk=1)
    return (states if with_places else states.defer("places")).first()


def snapshot(with_places: bool = True) -> Snapshot:
    """The stored roll-ups' state, whatever was written since they were counted (the
    worker counts again, `refresh_when_due`): one query. Only when nothing was ever
    stored (the first reader of an install) are they counted here."""
    state = _state(with_places)
    if state is None or state.refreshed_at is None:
        refresh(only_if_stale=True)
        state = _state(with_places)
    missing = state.missing_since
    as_of = timezone.now() if missing is None else max(state.refreshed_at, missing)
    return Snapshot(state, as_of)


def stored(kelurahan: Iterable[str]) -> list[Tally]:
    """The roll-ups of these kelurahan, unsaved rows: the size rows of each kelurahan
    (the areas and the map need them), the other dimensions summed over all of them."""
    mine = Tally.objects.filter(kelurahan_code__in=list(kelurahan))
    per_kelurahan = mine.filter(dimension=Dimension.SIZE).values_list(
        "kelurahan_code", "dimension", "bucket", *COLUMNS
    )
    summed = (
        mine.exclude(dimension=Dimension.SIZE)
        .values("dimension", "bucket")
        .annotate(**{f"sum_{c}": Sum(c) for c in COLUMNS})
        .values_list("dimension", "bucket", *(f"sum_{c}" for c in COLUMNS))
    )
    rows = [Tally(kelurahan_code=r[0], dimension=r[1], bucket=r[2],
                  **dict(zip(COLUMNS, r[3:], strict=True))) for r in per_kelurahan]  # fmt: skip
    rows += [Tally(kelurahan_code="", dimension=r[0], bucket=r[1],
                   **dict(zip(COLUMNS, r[2:], strict=True))) for r in summed]  # fmt: skip
    return rows


def stored_totals(kelurahan: list[str] | None, region: str = "") -> dict[str, int]:
    """The totals of these kelurahan (None: the whole city) within a region code (empty:
    anywhere), summed by the database from the roll-ups."""
    rows = Tally.objects.filter(dimension=Dimension.SIZE)
    if kelurahan is not None:
        rows = rows.filter(kelurahan_code__in=kelurahan)
    if region:
        rows = rows.filter(in_region("kelurahan_code", region))
    sums = rows.aggregate(**{c: Sum(c) for c in COLUMNS})
    return {c: sums[c] or 0 for c in COLUMNS}


def totals(rows: Iterable[Tally]) -> dict[str, int]:
    """Sum the columns over rows of one dimension."""
    sums: dict[str, int] = defaultdict(int)
    for row in rows:
        for column in COLUMNS:
            sums[column] += getattr(row, column)
    return {column: sums[column] for column in COLUMNS}


def stats_for(user: User | AnonymousUser, region: str = "") -> dict[str, Any]:
    """The figures of `GET /api/v1/stats/`: the user's scope, narrowed to a kecamatan or
    kelurahan code when given, and `as_of`, the moment they are exact at. From the
    roll-ups when the scope is a set of kelurahan, counted live otherwise (an owner's
    own businesses, exact now)."""
    kelurahan = kelurahan_codes(user)
    if kelurahan is None or kelurahan:
        as_of = snapshot(with_places=False).as_of
        figures = stored_totals(kelurahan, region)
    else:
        as_of = timezone.now()
        businesses = countable(businesses_for(user))
        if region:
            businesses = businesses.filter(in_region("kelurahan__code", region))
        figures = totals(r for r in count(businesses) if r.dimension == Dimension.SIZE)
    return {
        "businesses": figures["registered"],
        "verified": figures["verified"],
        "ready": figures["ready"],
        "graduated": figures["graduated"],
        "exporters": figures["exporters"],
        "as_of": as_of,
    }
