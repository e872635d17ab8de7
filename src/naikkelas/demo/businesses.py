"""A business of the plan: its name, NIB, turnover, legal form, workers, address and
where it stands in the curation workflow, and when it got there."""

import datetime
import math
from decimal import Decimal

from naikkelas.demo.context import Context
from naikkelas.demo.people import Person, street
from naikkelas.demo.plan import Spec, office_hours
from naikkelas.demo.seeds import EARLIER_VERIFIED_SHARE, GRADUATE_VERIFIED
from naikkelas.demo.tables import (
    ARCHIVE_REASONS,
    BRANDS,
    FIRST_MARKETS,
    MORE_MARKETS,
    RETURN_REASONS,
)
from naikkelas.graduation.models import GraduationStatus
from naikkelas.registry.kbli import sector_of
from naikkelas.registry.models import Business, LegalForm, SizeClass, Status


def _name(ctx: Context, spec: Spec, person: Person) -> str:
    rng = ctx.rng
    prefix = rng.choice(spec.trade.prefixes)
    shape = rng.random()
    if shape < 0.4:
        honorific = rng.choice(
            ("Bu", "Bu", "Mbak", "Ning") if person.female else ("Pak", "Pak", "Cak", "Mas")
        )
        return f"{prefix} {honorific} {person.first_name}"
    if shape < 0.93:
        return f"{prefix} {rng.choice(BRANDS)}"
    return f"{prefix} {rng.choice(BRANDS)} {rng.randint(1, 3)}"


def _nib(ctx: Context) -> str:
    while True:
        # OSS numbers seen in the field start 91 or 12; only the length is checked.
        prefix = ctx.rng.choice(("91", "91", "12"))
        nib = f"{prefix}{ctx.rng.randrange(10**11):011d}"
        if nib not in ctx.used_nib:
            ctx.used_nib.add(nib)
            return nib


def draw_sales(ctx: Context, spec: Spec) -> int:
    """Last year's turnover in rupiah, as the plan puts the business in its class."""
    rng = ctx.rng
    if spec.champion:
        value = rng.uniform(0.9e9, 1.95e9)
    elif spec.exporter:
        value = rng.uniform(3.0e9, 9.0e9)
    elif spec.graduation == GraduationStatus.REJECTED:
        value = rng.uniform(2.1e9, 2.6e9)
    elif spec.graduation:
        value = rng.uniform(2.3e9, 5.5e9)
    elif rng.random() < 0.001:
        value = rng.uniform(15.5e9, 48e9)
    else:
        # Log-normal around Rp180 million a year: mostly micro, a tail of small ones.
        value = min(rng.lognormvariate(math.log(180e6), 1.05), 14.5e9)
        value = max(value, 6e6)
    return round_to(value, 100_000)


def _times(ctx: Context, spec: Spec) -> dict[str, datetime.datetime | None]:
    rng, now, status = ctx.rng, ctx.now, spec.status

    def ago(low: float, high: float) -> datetime.datetime:
        return now - datetime.timedelta(days=rng.uniform(low, high))

    def before(moment: datetime.datetime, low: float, high: float) -> datetime.datetime:
        return moment - datetime.timedelta(days=rng.uniform(low, high))

    submitted: datetime.datetime | None = None
    verified: datetime.datetime | None = None
    if status == Status.VERIFIED:
        earlier = rng.random() < EARLIER_VERIFIED_SHARE
        verified = ago(240, 900) if earlier else ago(0.2, 239)
        if spec.decided_at is not None:
            # Curated before the cohort was picked; last changed when it graduated.
            low, high = GRADUATE_VERIFIED
            verified = min(
                now,
                office_hours(low + datetime.timedelta(rng.randrange((high - low).days)), rng),
            )
        submitted = before(verified, 0.5, 45)
        created = before(submitted, 0, 30)
        updated = max(verified, spec.decided_at or verified)
    elif status == Status.SUBMITTED:
        submitted = ago(0.1, 120)
        created = before(submitted, 0, 30)
        updated = submitted
    elif status == Status.RETURNED:
        submitted = ago(5, 200)
        created = before(submitted, 0, 30)
        updated = min(now, submitted + datetime.timedelta(days=rng.uniform(1, 20)))
    elif status == Status.ARCHIVED:
        created = ago(120, 900)
        updated = min(now, created + datetime.timedelta(days=rng.uniform(30, 400)))
    else:
        created = ago(0.1, 400)
        updated = min(now, created + datetime.timedelta(days=rng.uniform(0, 20)))
    return {
        "created_at": created,
        "updated_at": updated,
        "submitted_at": submitted,
        "verified_at": verified,
    }


def draw_business(ctx: Context, spec: Spec, person: Person, sales: int) -> Business:
    """The business of `spec`, run by `person` (not saved)."""
    rng, trade = ctx.rng, spec.trade
    kbli = rng.choices([k for k, _ in trade.kbli], weights=[w for _, w in trade.kbli])[0]
    verified = spec.status == Status.VERIFIED
    has_nib = spec.showcase or rng.random() < (0.85 if verified else 0.55)
    legal_form: str
    if sales > 2_000_000_000:
        legal_form = rng.choices(
            [LegalForm.INDIVIDUAL, LegalForm.CV, LegalForm.PT, LegalForm.PT_PERORANGAN],
            weights=[45, 25, 15, 15],
        )[0]
    else:
        legal_form = rng.choices(
            [
                LegalForm.INDIVIDUAL, LegalForm.PT_PERORANGAN, LegalForm.CV,
                LegalForm.COOPERATIVE, LegalForm.OTHER, "",
            ],
            weights=[90, 4, 2, 1, 1, 2],
        )[0]  # fmt: skip
    latitude = longitude = None
    village = spec.village
    lat, lng = village.centroid_lat, village.centroid_lng
    # A few records were never geotagged in the field.
    if lat is not None and lng is not None and rng.random() < 0.93:
        latitude = Decimal(f"{lat + rng.gauss(0, 0.003):.6f}")
        longitude = Decimal(f"{lng + rng.gauss(0, 0.003):.6f}")
    times = _times(ctx, spec)
    registered = times["created_at"]
    assert registered is not None
    # A business is registered after it started, not before.
    start_year = min(registered.year, int(ctx.today.year - rng.expovariate(1 / 7)))
    start_year = max(start_year, 1980)
    # Workers grow with turnover; most micro businesses are the owner and family.
    paid = 0 if rng.random() < 0.45 else int(rng.expovariate(1 / (1 + sales / 300e6)))
    paid = min(paid, 120)
    paid_female = sum(rng.random() < trade.female_share for _ in range(min(paid, 20)))
    paid_female = round(paid_female * paid / min(paid, 20)) if paid else 0
    unpaid = rng.choice((0, 1, 1, 2, 2, 3))
    unpaid_female = sum(rng.random() < 0.55 for _ in range(unpaid))
    paid_male = paid - paid_female
    disabled_male = disabled_female = 0
    if paid and rng.random() < 0.03:
        if paid_male:
            paid_male, disabled_male = paid_male - 1, 1
        else:
            paid_female, disabled_female = paid_female - 1, 1

    status_reason = ""
    if spec.status == Status.RETURNED:
        status_reason = rng.choice(RETURN_REASONS)
    elif spec.status == Status.ARCHIVED:
        status_reason = rng.choice(ARCHIVE_REASONS)
    version = {
        Status.DRAFT: 1,
        Status.SUBMITTED: 2,
        Status.RETURNED: 3,
        Status.VERIFIED: 3,
        Status.ARCHIVED: 2,
    }[Status(spec.status)]
    return Business(
        name=_name(ctx, spec, person),
        owner=person.owner,
        nib=_nib(ctx) if has_nib else "",
        kbli=kbli,
        sector=sector_of(kbli) or "",
        main_activity=trade.activity,
        main_product=trade.main_product,
        legal_form=legal_form,
        reported_size_class=_reported_class(ctx, sales),
        start_month=rng.randint(1, 12) if rng.random() < 0.9 else None,
        start_year=start_year,
        founding_capital=(
            max(500_000, round_to(rng.lognormvariate(math.log(8e6), 1.0), 500_000))
            if rng.random() < 0.75
            else None
        ),
        kelurahan=village,
        rw=rng.randint(1, 12),
        rt=rng.randint(1, 15),
        street=(
            f"{spec.street} No. {rng.randint(1, 120)}" if spec.street else street(ctx, village)
        ),
        latitude=latitude,
        longitude=longitude,
        sentra=spec.sentra,
        exports=spec.exporter,
        export_destinations=_destinations(ctx, spec) if spec.exporter else "",
        paid_male=paid_male,
        paid_female=paid_female,
        paid_disabled_male=disabled_male,
        paid_disabled_female=disabled_female,
        unpaid_male=unpaid - unpaid_female,
        unpaid_female=unpaid_female,
        status=spec.status,
        status_reason=status_reason,
        version=version,
        created_by=ctx.volunteers.get(village.code),
        verified_by=ctx.curator if spec.status == Status.VERIFIED else None,
        **times,
    )


def _destinations(ctx: Context, spec: Spec) -> str:
    rng = ctx.rng
    more = MORE_MARKETS["food" if spec.trade.food else "goods"]
    markets = [rng.choice(FIRST_MARKETS)]
    for market in rng.sample(more, rng.choice((0, 1, 1, 2))):
        markets.append(market)
    if rng.random() < 0.3:
        markets.append(rng.choice(FIRST_MARKETS))
    return ", ".join(dict.fromkeys(markets))


def _reported_class(ctx: Context, sales: int) -> str:
    # What the owner reports is usually right, sometimes blank, sometimes off:
    # mismatches are data-quality findings the product has to show.
    r = ctx.rng.random()
    if sales > 15_000_000_000:
        return SizeClass.MEDIUM if r < 0.6 else SizeClass.SMALL
    if sales > 2_000_000_000:
        return SizeClass.SMALL if r < 0.7 else (SizeClass.MICRO if r < 0.9 else "")
    return SizeClass.MICRO if r < 0.85 else ("" if r < 0.98 else SizeClass.SMALL)


def round_to(value: float, step: int) -> int:
    return round(value / step) * step
