"""Plain-language reasons for a standing, for the business page, the API and the owner."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from naikkelas.core.templatetags.naikkelas import rupiah
from naikkelas.graduation.eligibility import CRITERIA
from naikkelas.graduation.models import (
    ReadinessCriterion,
    SizeCriterion,
    SizePolicy,
    Standing,
)
from naikkelas.registry.models import Basis, FinancialRecord, SizeClass


@dataclass(frozen=True)
class CriterionResult:
    code: str
    label: str
    weight: int
    required: bool
    met: bool
    reason: str


def criteria(standing: Standing) -> list[ReadinessCriterion]:
    # Prefetched by the list views; one query here otherwise.
    return list(standing.readiness_policy.criteria.all())


def gaps(standing: Standing) -> list[str]:
    """The codes of the criteria this business does not meet, in policy order."""
    return [c.code for c in criteria(standing) if not standing.met(c.code)]


def criterion_results(standing: Standing) -> list[CriterionResult]:
    return [
        CriterionResult(
            code=c.code,
            label=str(c.get_code_display()),
            weight=c.weight,
            required=c.required,
            met=standing.met(c.code),
            reason="" if standing.met(c.code) else str(CRITERIA[c.code].gap),
        )
        for c in criteria(standing)
    ]


def size_reason(standing: Standing) -> str:
    """Why the business is in its class, e.g. 'Annual sales Rp1.600.000.000 (2025, reported)…'."""
    if standing.size_class is None:
        return _("Unknown: no annual sales or capital figure has been recorded.")
    figure = rupiah(standing.size_figure)
    basis = standing.get_size_basis_display().lower()
    if standing.size_criterion == SizeCriterion.SALES:
        text = _("Annual sales %(figure)s (%(year)s, %(basis)s).")
    else:
        text = _("No sales figure; capital %(figure)s (%(year)s, %(basis)s).")
    text = text % {"figure": figure, "year": standing.size_year, "basis": basis}
    bounds = standing.size_policy.bounds(standing.size_criterion)
    upper = dict(bounds).get(standing.size_class)
    if upper is not None and standing.size_class == SizeClass.MICRO:
        text += " " + _("The small class starts above %(limit)s.") % {"limit": rupiah(upper)}
    return text


@dataclass(frozen=True)
class YearClass:
    year: int
    sales: int
    basis: str
    size_class: str


def class_history(figures: Iterable[FinancialRecord], policy: SizePolicy) -> list[YearClass]:
    """The class of each year with a sales figure, verified preferred, newest first."""
    by_year: dict[int, FinancialRecord] = {}
    for f in figures:
        if f.annual_sales is None:
            continue
        kept = by_year.get(f.year)
        if kept is None or (kept.basis != Basis.VERIFIED and f.basis == Basis.VERIFIED):
            by_year[f.year] = f
    return [
        YearClass(
            year,
            f.annual_sales or 0,
            f.get_basis_display(),
            policy.class_of_sales(f.annual_sales or 0),
        )
        for year, f in sorted(by_year.items(), reverse=True)
    ]
