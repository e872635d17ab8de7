"""The city's plan: where each business is, what it does, its status, and which few are
ready, graduate and export, decided up front for the whole city so that the seeds'
figures come out exact."""

import datetime
import random
import re
from dataclasses import dataclass

from django.utils import timezone

from naikkelas.demo.context import Context
from naikkelas.demo.seeds import (
    DECIDED_FROM,
    DECIDED_TO,
    PROPOSED_SHARE,
    REJECTED_SHARE,
    share,
    targets,
    verified_target,
)
from naikkelas.demo.tables import (
    EXPORTER_WEIGHT,
    GRADUATE_WEIGHT,
    SENTRA,
    TRADE_BY_KEY,
    TRADES,
    SentraPlan,
    Trade,
)
from naikkelas.graduation.models import GraduationStatus
from naikkelas.regions.models import Region
from naikkelas.registry import bulk
from naikkelas.registry.models import Sentra, Status


@dataclass
class Spec:
    """What one business is to be."""

    village: Region
    trade: Trade
    status: str
    sentra: Sentra | None = None
    street: str = ""
    # One of the ready micro businesses: complete on every required criterion.
    champion: bool = False
    # A graduation: "confirmed", "rejected" or "proposed" (awaiting a decision).
    graduation: str = ""
    exporter: bool = False
    decided_at: datetime.datetime | None = None
    checked_at: datetime.datetime | None = None  # when the curator verified the new year

    @property
    def showcase(self) -> bool:
        """Ready or graduating: legality, channels and products are complete."""
        return self.champion or bool(self.graduation)


def plan_city(ctx: Context) -> tuple[list[Spec], list[tuple[str, str, int]]]:
    """Every business's spec, shuffled, and each sentra as (name, kelurahan, members)."""
    rng, n = ctx.rng, ctx.businesses
    specs: list[Spec] = []
    placed: list[tuple[str, str, int]] = []
    for plan, sentra, village, found in _place_sentra(ctx):
        members = round(n * plan.share)
        if n >= 100:
            members = max(members, 3)
        members = min(members, n - len(specs))
        street = plan.street if found else ""
        specs += [
            Spec(village, TRADE_BY_KEY[plan.trade], "", sentra, street) for _ in range(members)
        ]
        placed.append((sentra.name, village.name, members))
    # Uneven on purpose: some kelurahan are market or cluster areas, others residential.
    weights = [rng.lognormvariate(0, 0.55) for _ in ctx.villages]
    rest = n - len(specs)
    villages = rng.choices(ctx.villages, weights=weights, k=rest)
    trades = rng.choices(TRADES, weights=[t.weight for t in TRADES], k=rest)
    specs += [Spec(v, t, "") for v, t in zip(villages, trades, strict=True)]
    rng.shuffle(specs)

    verified = verified_target(n)
    others = n - verified
    archived = round(others * 0.015)
    returned = round(others * 0.12)
    submitted = round(others * 0.38)
    statuses = (
        [Status.VERIFIED] * verified
        + [Status.ARCHIVED] * archived
        + [Status.RETURNED] * returned
        + [Status.SUBMITTED] * submitted
        + [Status.DRAFT] * (others - archived - returned - submitted)
    )
    rng.shuffle(statuses)
    for spec, status in zip(specs, statuses, strict=True):
        spec.status = status
    _cast(ctx, specs)
    return specs, placed


def _place_sentra(ctx: Context) -> list[tuple[SentraPlan, Sentra, Region, bool]]:
    by_name = {_normal_name(v.name): v for v in ctx.villages}
    placed = []
    for plan in SENTRA:
        village = by_name.get(_normal_name(plan.kelurahan))
        found = village is not None
        if village is None:
            village = ctx.rng.choice(ctx.villages)
        name = f"{plan.label} {plan.place if found and plan.place else village.name}"
        sentra = bulk.place_sentra(name, village, plan.description)
        placed.append((plan, sentra, village, found))
    return placed


def _cast(ctx: Context, specs: list[Spec]) -> None:
    """Pick who is ready, who graduates and who exports, among verified goods makers."""
    rng, n = ctx.rng, ctx.businesses
    goal = targets(n)
    pool = [s for s in specs if s.status == Status.VERIFIED and s.trade.goods]
    rng.shuffle(pool)
    for spec in pool[: goal.ready]:
        spec.champion = True
    pool = pool[goal.ready :]

    def weighted(people: list[Spec], weight: dict[str, float], k: int) -> list[Spec]:
        # Weighted sampling without replacement (Efraimidis-Spirakis), reproducible.
        keyed = [
            (rng.random() ** (1 / weight.get(person.trade.key, 0.2)), i)
            for i, person in enumerate(people)
        ]
        keyed.sort(reverse=True)
        return [people[i] for _, i in keyed[:k]]

    chosen = weighted(pool, GRADUATE_WEIGHT, goal.graduated + share(n, REJECTED_SHARE))
    graduates, rejected = chosen[: goal.graduated], chosen[goal.graduated :]
    for spec in graduates:
        spec.graduation = GraduationStatus.CONFIRMED
    for spec in rejected:
        spec.graduation = GraduationStatus.REJECTED
    for spec in weighted(graduates, EXPORTER_WEIGHT, goal.exporters):
        spec.exporter = True
    decided = graduates + rejected
    rng.shuffle(decided)
    # Decisions spread evenly over the months, on office hours.
    span = (DECIDED_TO - DECIDED_FROM).days
    for i, spec in enumerate(decided):
        day = DECIDED_FROM + datetime.timedelta(
            days=min(span, round((i + rng.random()) * span / max(len(decided), 1)))
        )
        spec.decided_at = min(ctx.now, office_hours(day, rng))
    rest = [s for s in pool if not s.graduation]
    for spec in rest[: share(n, PROPOSED_SHARE)]:
        spec.graduation = GraduationStatus.PROPOSED


def office_hours(day: datetime.date, rng: random.Random) -> datetime.datetime:
    """A moment on a working day (a weekend moves back to Friday), 08:00-16:00."""
    day -= datetime.timedelta(days=max(0, day.weekday() - 4))
    moment = datetime.datetime.combine(day, datetime.time(8)) + datetime.timedelta(
        minutes=rng.randrange(8 * 60)
    )
    return timezone.make_aware(moment)


def _normal_name(name: str) -> str:
    return re.sub(r"[^a-z]", "", name.lower())
