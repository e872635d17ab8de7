"""Exactly the chosen few are ready: a business that would come out complete by chance
is given one of the gaps the seeds' programme works on, and the readiness engine has the
last word."""

import datetime

from naikkelas.demo.context import Context
from naikkelas.demo.plan import Spec
from naikkelas.graduation.engine import ready_ids
from naikkelas.registry import bulk
from naikkelas.registry.models import (
    Business,
    FinancialRecord,
    LegalityDocument,
    LegalityKind,
    SalesChannel,
    Status,
)


def complete(
    ctx: Context,
    business: Business,
    docs: list[LegalityDocument],
    figures: list[FinancialRecord],
    channels: list[SalesChannel],
) -> bool:
    """Whether the shipped policy's required criteria are all met, size aside.

    Mirrors graduation.engine for the default policy; the engine has the last word
    (`mend_readiness`), this only keeps the mending there to nothing.
    """
    recent = ctx.today.year - 2
    if not business.nib or not channels:
        return False
    if not any(f.annual_sales is not None and f.year >= recent for f in figures):
        return False
    valid = {d.kind for d in docs if d.expires_on is None or d.expires_on >= ctx.today}
    permit = bool(valid & {LegalityKind.PIRT, LegalityKind.BPOM})
    if business.kbli[:2] in ("10", "56"):
        return permit and LegalityKind.HALAL in valid
    if business.kbli[:2] == "11":
        return permit
    if business.sector == "C":
        return permit or bool(valid & {LegalityKind.SNI, LegalityKind.HALAL})
    return True


def leave_gap(
    ctx: Context,
    spec: Spec,
    business: Business,
    docs: list[LegalityDocument],
    figures: list[FinancialRecord],
    channels: list[SalesChannel],
) -> None:
    """Leave one of the gaps the seeds' programme works on, weighted by how common."""
    rng = ctx.rng
    kinds = {d.kind for d in docs}
    verified = spec.status == Status.VERIFIED
    options = {"channels": 3, "books": 3 if verified else 2, "nib": 1 if verified else 4}
    if business.kbli[:2] in ("10", "56") and LegalityKind.HALAL in kinds:
        options["halal"] = 3 if verified else 2
    if LegalityKind.PIRT in kinds and LegalityKind.BPOM not in kinds:
        options["permit"] = 2 if verified else 1
    gap = rng.choices(list(options), weights=list(options.values()))[0]
    if gap == "channels":  # sells only face to face
        channels.clear()
    elif gap == "nib":  # not yet registered on OSS
        business.nib = ""
        docs[:] = [d for d in docs if d.kind != LegalityKind.NIB]
    elif gap == "halal":  # no halal certificate yet
        docs[:] = [d for d in docs if d.kind != LegalityKind.HALAL]
    elif gap == "permit":  # the P-IRT has lapsed
        for doc in docs:
            if doc.kind == LegalityKind.PIRT:
                on = ctx.today - datetime.timedelta(days=5 * 365 + rng.randrange(20, 700))
                doc.issued_on = on
                doc.expires_on = on.replace(year=on.year + 5, day=min(on.day, 28))
                doc.number = f"{doc.number[:-2]}{doc.expires_on.year % 100:02d}"
    else:  # the last turnover on file is older than two years
        shift = max(f.year for f in figures) - (ctx.today.year - 3 - (rng.random() < 0.4))
        for figure in figures:
            figure.year -= shift


def mend_readiness(champions: set[int]) -> tuple[int, int, int]:
    """Ask the readiness engine which businesses are ready and mend any that are but
    should not be (the generator leaves none under the shipped policy): take their sales
    channels, then their NIB. Returns how many are ready, and how many sales channels and
    legality documents the mending deleted."""
    found = ready_ids()
    deleted = [0, 0]
    for i, mend in enumerate((bulk.delete_sales_channels, bulk.clear_nib)):
        surplus = sorted(found - champions)
        if not surplus:
            break
        deleted[i] = mend(surplus)
        found -= set(surplus)
        found |= ready_ids(surplus)
    return len(found), deleted[0], deleted[1]
