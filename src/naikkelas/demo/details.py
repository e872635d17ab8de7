"""A business's details: its turnover figures (two verified years for a graduation), its
permits and certificates, its products and where it sells them."""

import datetime
import re

from django.utils import timezone

from naikkelas.demo.businesses import round_to
from naikkelas.demo.context import Context
from naikkelas.demo.plan import Spec
from naikkelas.demo.seeds import FROM_YEAR, TO_YEAR
from naikkelas.demo.tables import CHANNEL_PROFILES, VERIFIED_EVIDENCE
from naikkelas.registry.models import (
    Basis,
    Business,
    ChannelKind,
    FinancialRecord,
    LegalityDocument,
    LegalityKind,
    Product,
    SalesChannel,
    Status,
)


def draw_financials(
    ctx: Context, spec: Spec, business: Business, sales: int
) -> list[FinancialRecord]:
    """The turnover figures on file (a few businesses have none)."""
    rng = ctx.rng
    if spec.graduation:
        return _graduation_financials(ctx, spec, business, sales)
    records: list[FinancialRecord] = []
    if not spec.champion and rng.random() < 0.07:
        return records
    capital = round_to(sales * rng.uniform(0.08, 0.5), 100_000)
    assets = round_to(capital * rng.uniform(1.1, 2.5), 100_000)
    reported_sales: int | None = sales
    if not spec.champion and rng.random() < 0.03:
        reported_sales = None  # only capital known: the class rests on capital
    stamp = business.updated_at
    records.append(
        FinancialRecord(
            business=business,
            year=ctx.last_year,
            basis=Basis.REPORTED,
            annual_sales=reported_sales,
            capital=capital,
            assets=assets,
            recorded_by=business.created_by,
            recorded_at=stamp,
        )
    )
    if rng.random() < 0.3:
        records.append(
            FinancialRecord(
                business=business,
                year=ctx.last_year - 1,
                basis=Basis.REPORTED,
                annual_sales=round_to(sales / rng.uniform(0.85, 1.5), 100_000),
                capital=round_to(capital * rng.uniform(0.7, 1.0), 100_000),
                assets=round_to(assets * rng.uniform(0.7, 1.0), 100_000),
                recorded_by=business.created_by,
                recorded_at=stamp,
            )
        )
    if spec.status == Status.VERIFIED and (spec.champion or rng.random() < 0.3):
        records.append(
            FinancialRecord(
                business=business,
                year=ctx.last_year,
                basis=Basis.VERIFIED,
                annual_sales=min(round_to(sales * rng.uniform(0.88, 1.05), 100_000), 2_000_000_000)
                if spec.champion
                else round_to(sales * rng.uniform(0.8, 1.1), 100_000),
                capital=capital,
                assets=assets,
                evidence=rng.choice(VERIFIED_EVIDENCE),
                recorded_by=ctx.curator,
                recorded_at=business.verified_at or stamp,
            )
        )
    return records


def _graduation_financials(
    ctx: Context, spec: Spec, business: Business, sales: int
) -> list[FinancialRecord]:
    """Two verified years, micro then small, which the engine proposes as a graduation.

    Decided ones went from micro in 2023 to small in 2024 and have reported a later
    year since; one awaiting a decision moved up in the last two years.
    """
    rng = ctx.rng
    decided = spec.decided_at is not None
    from_year, to_year = (FROM_YEAR, TO_YEAR) if decided else (
        ctx.last_year - 1, ctx.last_year,
    )  # fmt: skip
    to_sales = max(2_050_000_000, round_to(sales * rng.uniform(0.8, 0.97), 100_000))
    from_sales = round_to(rng.uniform(1.3e9, 1.95e9), 100_000)
    closed = timezone.make_aware(datetime.datetime(from_year + 1, 1, 15, 9))
    verified_at = min(ctx.now, max(business.verified_at or business.updated_at, closed))
    to_checked = (
        spec.decided_at - datetime.timedelta(days=rng.uniform(2, 25))
        if spec.decided_at is not None
        else ctx.now - datetime.timedelta(days=rng.uniform(1, 30))
    )
    spec.checked_at = to_checked
    lately = max(to_checked, ctx.now - datetime.timedelta(days=rng.uniform(10, 200)))
    figures = {
        (from_year, Basis.REPORTED): (
            min(2_000_000_000, round_to(from_sales * rng.uniform(0.95, 1.08), 100_000)),
            business.created_at,
        ),
        (from_year, Basis.VERIFIED): (from_sales, verified_at),
        (to_year, Basis.REPORTED): (
            round_to(to_sales * rng.uniform(1.0, 1.06), 100_000),
            to_checked,
        ),
        (to_year, Basis.VERIFIED): (to_sales, to_checked),
        # What the owner reported since (the same year when it is the latest).
        (max(ctx.last_year, to_year), Basis.REPORTED): (sales, lately),
    }
    records = []
    for (year, basis), (figure, stamp) in figures.items():
        capital = round_to(figure * rng.uniform(0.1, 0.3), 100_000)
        verified = basis == Basis.VERIFIED
        records.append(
            FinancialRecord(
                business=business,
                year=year,
                basis=basis,
                annual_sales=figure,
                capital=capital,
                assets=round_to(capital * rng.uniform(1.2, 2.2), 100_000),
                evidence=rng.choice(VERIFIED_EVIDENCE) if verified else "",
                recorded_by=ctx.curator if verified else business.created_by,
                recorded_at=stamp,
            )
        )
    return records


def draw_legality(
    ctx: Context, spec: Spec, business: Business, sales: int
) -> list[LegalityDocument]:
    """The NIB's document and the permits and certificates its trade calls for."""
    rng, trade = ctx.rng, spec.trade
    verified = spec.status == Status.VERIFIED
    docs: list[LegalityDocument] = []
    issued_floor = datetime.date(max(business.start_year or 2018, 2018), 1, 1)

    def issued() -> datetime.date:
        span = max((ctx.today - issued_floor).days, 1)
        return issued_floor + datetime.timedelta(days=rng.randrange(span))

    def recent() -> datetime.date:
        # A ready business's P-IRT has years left, so it stays ready for a while.
        return ctx.today - datetime.timedelta(days=rng.randrange(30, 3 * 365))

    if business.nib:
        docs.append(
            LegalityDocument(
                business=business,
                kind=LegalityKind.NIB,
                number=business.nib,
                issued_on=issued(),
            )
        )
    if trade.food and (spec.showcase or rng.random() < (0.5 if verified else 0.3)):
        on = recent() if spec.champion else issued()
        # P-IRT: type, food group, regency code, serial, expiry year.
        number = (
            f"P-IRT {rng.randint(1, 5)}{rng.randint(1, 15):02d}{ctx.region_digits[:4]}"
            f"{rng.randrange(10**6):06d}-{(on.year + 5) % 100:02d}"
        )
        docs.append(
            LegalityDocument(
                business=business,
                kind=LegalityKind.PIRT,
                number=number,
                issued_on=on,
                expires_on=on.replace(year=on.year + 5, day=min(on.day, 28)),
            )
        )
    # Food for export needs a BPOM MD registration.
    if trade.food and (spec.exporter or (sales > 1_000_000_000 and rng.random() < 0.15)):
        docs.append(
            LegalityDocument(
                business=business,
                kind=LegalityKind.BPOM,
                number=f"BPOM RI MD {rng.randrange(10**12):012d}",
                issued_on=issued(),
            )
        )
    if trade.halal and (spec.showcase or rng.random() < (0.3 if verified else 0.12)):
        docs.append(
            LegalityDocument(
                business=business,
                kind=LegalityKind.HALAL,
                number=f"ID{ctx.region_digits[:2]}{rng.randrange(10**15):015d}",
                issued_on=issued(),
            )
        )
    if (spec.showcase and rng.random() < (0.95 if spec.exporter else 0.8)) or (rng.random() < 0.04):
        on = issued()
        docs.append(
            LegalityDocument(
                business=business,
                kind=LegalityKind.HKI,
                number=f"IDM{rng.randrange(10**9):09d}",
                issued_on=on,
                expires_on=on.replace(year=on.year + 10, day=min(on.day, 28)),
            )
        )
    # Crafts and other goods: an SNI for those that sell far (or abroad).
    if trade.goods and not trade.food and (spec.showcase or rng.random() < 0.01):
        docs.append(
            LegalityDocument(
                business=business,
                kind=LegalityKind.SNI,
                number=f"SNI-{rng.randrange(10**6):06d}",
                issued_on=issued(),
            )
        )
    return docs


def draw_products(ctx: Context, spec: Spec, business: Business) -> list[Product]:
    rng, trade = ctx.rng, spec.trade
    if not spec.showcase and rng.random() >= trade.product_share:
        return []
    count = min(len(trade.products), rng.choice((1, 1, 2, 2, 3)) + (1 if spec.showcase else 0))
    products = []
    for name, low, high in rng.sample(trade.products, count):
        step = 1000 if high > 50_000 else 500
        products.append(
            Product(
                business=business,
                name=name,
                description=f"Produk {business.name}.",
                price=round_to(rng.uniform(low, high), step),
            )
        )
    return products


def draw_channels(ctx: Context, spec: Spec, business: Business) -> list[SalesChannel]:
    rng = ctx.rng
    chance = 0.45 + (0.2 if spec.status == Status.VERIFIED else 0)
    if not spec.showcase and rng.random() >= chance:
        return []
    profile = CHANNEL_PROFILES[spec.trade.channels]
    wanted = rng.choice((1, 1, 2, 2, 3, 4)) + (2 if spec.showcase else 0)
    picked: list[tuple[str, str, int]] = []
    for _ in range(wanted * 3):
        choice = rng.choices(profile, weights=[w for _, _, w in profile])[0]
        if choice not in picked:
            picked.append(choice)
        if len(picked) >= wanted:
            break
    if spec.showcase and not any(k == ChannelKind.MARKETPLACE for _, k, _ in picked):
        picked.append(("Shopee", ChannelKind.MARKETPLACE, 0))
    if spec.exporter and not any(k == ChannelKind.WEBSITE for _, k, _ in picked):
        picked.append(("Website", ChannelKind.WEBSITE, 0))
    slug = re.sub(r"[^a-z0-9]", "", business.name.lower())[:24]
    return [
        SalesChannel(business=business, kind=kind, name=name, address=_address(name, slug))
        for name, kind, _ in picked
    ]


def _address(platform: str, slug: str) -> str:
    if platform in ("Instagram", "TikTok"):
        return f"@{slug}"
    if platform == "Facebook":
        return f"facebook.com/{slug}"
    if platform == "Shopee":
        return f"shopee.co.id/{slug}"
    if platform == "Tokopedia":
        return f"tokopedia.com/{slug}"
    if platform == "TikTok Shop":
        return f"@{slug}.shop"
    if platform == "Website":
        return f"https://{slug}.my.id"
    # WhatsApp would be the owner's phone number, which is personal data: leave it out.
    return ""
