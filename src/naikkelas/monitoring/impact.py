"""What happened to a cohort's members against similar businesses that were not picked.

Members are taken as they were at selection (the cohort's frozen snapshot). The
comparison group is every other countable business in the user's scope with the same
class, sector and readiness band; the registry keeps no history of a non-member's
standing, so theirs is the current one. Sales are compared between the year before
selection and the latest year after it, a verified figure winning over a reported one.
This describes a difference; it does not prove the programme caused it.
"""

import datetime
import statistics
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Max

from naikkelas.accounts.models import User
from naikkelas.graduation.models import SizePolicy
from naikkelas.programs.models import Cohort
from naikkelas.registry.access import businesses_for, countable
from naikkelas.registry.models import Basis, FinancialRecord, SizeClass

RANK = {SizeClass.MICRO: 0, SizeClass.SMALL: 1, SizeClass.MEDIUM: 2, SizeClass.LARGE: 3}

Stratum = tuple[str | None, str, str]  # class, sector, readiness band


def band(score: int, ready: bool) -> str:
    """Readiness bands: ready to move up, or the score's half below 50 or above."""
    if ready:
        return "ready"
    return "50+" if score >= 50 else "0-49"


@dataclass
class Group:
    size: int  # businesses in the group
    measured: int  # of them, with sales in both years
    mean_change: float | None
    median_change: float | None
    moved_up: int  # class from sales rose between the two years

    @property
    def moved_up_percent(self) -> float | None:
        return self.moved_up * 100 / self.measured if self.measured else None


@dataclass
class Comparison:
    baseline_year: int
    follow_up_year: int | None
    members: Group
    others: Group
    strata: int


def _sales(ids_query: Any, years: list[int]) -> dict[tuple[int, int], int]:
    """Sales by (business, year), a verified figure winning over a reported one."""
    found: dict[tuple[int, int], tuple[bool, int]] = {}
    records = FinancialRecord.objects.filter(
        business__in=ids_query, year__in=years, annual_sales__isnull=False
    ).values_list("business_id", "year", "basis", "annual_sales")
    for business_id, year, basis, sales in records:
        if sales is None:
            continue
        verified = basis == Basis.VERIFIED
        key = (business_id, year)
        if key not in found or (verified and not found[key][0]):
            found[key] = (verified, sales)
    return {key: sales for key, (_, sales) in found.items()}


def _group(
    ids: list[int], sales: dict[tuple[int, int], int], years: tuple[int, int | None]
) -> Group:
    base, follow = years
    changes: list[int] = []
    moved_up = 0
    policy = SizePolicy.in_force()
    if follow is not None:
        for pk in ids:
            before, after = sales.get((pk, base)), sales.get((pk, follow))
            if before is None or after is None:
                continue
            changes.append(after - before)
            if (
                RANK[SizeClass(policy.class_of_sales(after))]
                > RANK[SizeClass(policy.class_of_sales(before))]
            ):
                moved_up += 1
    return Group(
        size=len(ids),
        measured=len(changes),
        mean_change=statistics.fmean(changes) if changes else None,
        median_change=statistics.median(changes) if changes else None,
        moved_up=moved_up,
    )


def compare(user: User, cohort: Cohort) -> Comparison:
    picked = (cohort.frozen_at or cohort.created_at or datetime.datetime.now()).year
    base = picked - 1
    members = list(
        cohort.members.filter(
            removed_at__isnull=True, business__in=businesses_for(user)
        ).values_list("business_id", "size_class", "sector", "readiness_score", "ready")
    )
    strata: set[Stratum] = {(c, s, band(score, ready)) for _, c, s, score, ready in members}
    member_ids = [m[0] for m in members]
    candidates = (
        countable(businesses_for(user))
        .exclude(pk__in=member_ids)
        .filter(sector__in={s for _, s, _ in strata})
    )
    others: list[int] = []
    by_stratum: dict[Stratum, int] = defaultdict(int)
    rows = candidates.values_list(
        "pk", "standing__size_class", "sector", "standing__readiness_score", "standing__ready"
    )
    for pk, size_class, sector, score, ready in rows:
        stratum = (size_class, sector, band(score or 0, bool(ready)))
        if stratum in strata:
            others.append(pk)
            by_stratum[stratum] += 1
    latest = FinancialRecord.objects.filter(
        business__in=member_ids, year__gt=base, annual_sales__isnull=False
    ).aggregate(year=Max("year"))["year"]
    years = [base] if latest is None else [base, latest]
    sales = _sales(member_ids, years)
    sales.update(_sales(others, years))
    return Comparison(
        baseline_year=base,
        follow_up_year=latest,
        members=_group(member_ids, sales, (base, latest)),
        others=_group(others, sales, (base, latest)),
        strata=len(strata),
    )
