"""A reproducible synthetic city: businesses, owners and their details for demos and
benchmarks, calibrated to the seeds' figures (`seeds`).

Everything is drawn from one `random.Random(seed)` and one seeded Faker, in a fixed order,
so the same seed gives the same city (only timestamps move with the day it is built).
The only place names used are the home region's kelurahan from the Region table.

The build plans the whole city first (`plan`), then draws and writes it in chunks: the
owners (`people`), the businesses (`businesses`) and their details (`details`), with
a gap for any that would come out ready by chance (`readiness`); then the engine proposes
the graduations and the curator's decisions are recorded (`graduations`), and the engine
checks that exactly the planned businesses are ready.

This is a bulk loader, not a user action: it writes through the registry's bulk entry
points instead of the per-row service functions (those would take many minutes for
40,000 records), but keeps their invariants: personal data only through Owner.set_nik /
set_phone, valid identifiers, `sector` from the KBLI code, and one audit entry per
generated business.
"""

import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import transaction

from naikkelas.core import audit
from naikkelas.demo.accounts import ensure_demo_accounts
from naikkelas.demo.businesses import draw_business, draw_sales
from naikkelas.demo.context import Context, open_context
from naikkelas.demo.details import draw_channels, draw_financials, draw_legality, draw_products
from naikkelas.demo.graduations import decide_graduations
from naikkelas.demo.people import Person, draw_person
from naikkelas.demo.plan import Spec, plan_city
from naikkelas.demo.readiness import complete, leave_gap, mend_readiness
from naikkelas.demo.seeds import DEFAULT_BUSINESSES, DEFAULT_SEED
from naikkelas.graduation.models import GraduationStatus
from naikkelas.registry import bulk
from naikkelas.registry.models import (
    Business,
    FinancialRecord,
    LegalityDocument,
    Owner,
    Product,
    SalesChannel,
    Status,
)

CHUNK = 2000
# People who run more than one business are drawn again from this many of the last seen.
OWNER_POOL = 2000

ACTION = "demo.generated"


@dataclass
class DemoSummary:
    businesses: int = 0
    owners: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    financial_records: int = 0
    legality_documents: int = 0
    products: int = 0
    channels: int = 0
    audit_entries: int = 0
    # Calibration to the seeds: ready as the readiness engine finds it after the build,
    # graduations by status, and exporting businesses.
    ready: int = 0
    graduated: int = 0
    proposed: int = 0
    rejected: int = 0
    exporters: int = 0
    sentra: list[tuple[str, str, int]] = field(default_factory=list)  # name, kelurahan, members
    accounts: list[tuple[str, str, str]] = field(default_factory=list)
    seed: int = DEFAULT_SEED
    seconds: float = 0.0

    @property
    def verified(self) -> int:
        return self.by_status.get(Status.VERIFIED, 0)


@dataclass
class _Chunk:
    """One chunk of the city, drawn and not yet written."""

    owners: list[Owner] = field(default_factory=list)  # the new ones
    businesses: list[Business] = field(default_factory=list)
    financials: list[FinancialRecord] = field(default_factory=list)
    legality: list[LegalityDocument] = field(default_factory=list)
    products: list[Product] = field(default_factory=list)
    channels: list[SalesChannel] = field(default_factory=list)


def build_demo_city(businesses: int = DEFAULT_BUSINESSES, seed: int = DEFAULT_SEED) -> DemoSummary:
    """Replace the registry with a synthetic city of `businesses` businesses.

    Deletes every business and owner first. The demo accounts are created or reset too,
    since the records name them (volunteers as creators, the curator as verifier).
    One transaction: an interrupted build leaves the previous state, never half a city,
    so `demo --if-empty` does not mistake a broken build for a finished one.
    """
    if businesses < 0:
        raise ValueError("businesses must not be negative")
    with transaction.atomic():
        accounts = ensure_demo_accounts()
        summary = _build(open_context(businesses, seed))
    summary.accounts = accounts
    return summary


def _build(ctx: Context) -> DemoSummary:
    started = time.perf_counter()
    summary = DemoSummary(seed=ctx.seed)
    bulk.delete_all_businesses()
    specs, summary.sentra = plan_city(ctx)
    owner_pool: list[Person] = []
    champions: set[int] = set()
    graduations: dict[int, Spec] = {}
    for start in range(0, len(specs), CHUNK):
        chosen = specs[start : start + CHUNK]
        chunk = _draw_chunk(ctx, chosen, owner_pool)
        _write_chunk(ctx, chunk, summary)
        for spec, business in zip(chosen, chunk.businesses, strict=True):
            if spec.champion:
                champions.add(business.pk)
            if spec.graduation:
                graduations[business.pk] = spec
    by_status, entries = decide_graduations(ctx, graduations)
    summary.audit_entries += entries
    summary.graduated = by_status[GraduationStatus.CONFIRMED]
    summary.rejected = by_status[GraduationStatus.REJECTED]
    summary.proposed = by_status[GraduationStatus.PROPOSED]
    summary.ready, channels, documents = mend_readiness(champions)
    summary.channels -= channels
    summary.legality_documents -= documents
    summary.by_status = {status.value: summary.by_status.get(status.value, 0) for status in Status}
    summary.seconds = time.perf_counter() - started
    return summary


def _draw_chunk(ctx: Context, specs: Sequence[Spec], owner_pool: list[Person]) -> _Chunk:
    rng = ctx.rng
    chunk = _Chunk()
    people: list[Person] = []
    for spec in specs:
        # A few people run more than one business (found again by their NIK).
        if owner_pool and rng.random() < 0.03:
            people.append(rng.choice(owner_pool))
        else:
            person = draw_person(ctx, spec)
            people.append(person)
            chunk.owners.append(person.owner)
    for person in people:
        if len(owner_pool) < OWNER_POOL:
            owner_pool.append(person)
        elif rng.random() < 0.1:
            owner_pool[rng.randrange(OWNER_POOL)] = person

    sales = [draw_sales(ctx, spec) for spec in specs]
    chunk.businesses = [
        draw_business(ctx, spec, person, s)
        for spec, person, s in zip(specs, people, sales, strict=True)
    ]
    # Details are drawn before the businesses are written, so that one which would
    # come out complete by chance can still be given its gap (a NIB is on the business).
    for spec, business, s in zip(specs, chunk.businesses, sales, strict=True):
        figures = draw_financials(ctx, spec, business, s)
        docs = draw_legality(ctx, spec, business, s)
        chunk.products += draw_products(ctx, spec, business)
        sells = draw_channels(ctx, spec, business)
        if not spec.showcase:
            for _attempt in range(3):
                if not complete(ctx, business, docs, figures, sells):
                    break
                leave_gap(ctx, spec, business, docs, figures, sells)
        chunk.financials += figures
        chunk.legality += docs
        chunk.channels += sells
    return chunk


def _write_chunk(ctx: Context, chunk: _Chunk, summary: DemoSummary) -> None:
    bulk.create_owners(chunk.owners)
    bulk.create_businesses(chunk.businesses)
    bulk.create_financial_records(chunk.financials)
    bulk.create_legality_documents(chunk.legality)
    bulk.create_products(chunk.products)
    bulk.create_sales_channels(chunk.channels)
    audit.record_many(
        None,
        ACTION,
        Business,
        [b.pk for b in chunk.businesses],
        note=f"naikkelas demo, seed {ctx.seed}",
    )
    summary.businesses += len(chunk.businesses)
    summary.owners += len(chunk.owners)
    summary.financial_records += len(chunk.financials)
    summary.legality_documents += len(chunk.legality)
    summary.products += len(chunk.products)
    summary.channels += len(chunk.channels)
    summary.audit_entries += len(chunk.businesses)
    summary.exporters += sum(b.exports for b in chunk.businesses)
    for status, count in Counter(str(b.status) for b in chunk.businesses).items():
        summary.by_status[status] = summary.by_status.get(status, 0) + count
