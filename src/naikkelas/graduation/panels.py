"""Graduation's panels on the business page: the class and readiness with their reasons
and the assessment form; the class over the years with the graduations."""

from collections.abc import Sequence
from typing import Any

from naikkelas.accounts.models import User
from naikkelas.graduation import explain
from naikkelas.graduation.forms import AssessmentForm
from naikkelas.graduation.models import EvidenceKind, Graduation, SizePolicy, Standing
from naikkelas.registry import panels
from naikkelas.registry.models import Business, FinancialRecord


def _context(
    user: User, business: Business, financials: Sequence[FinancialRecord]
) -> dict[str, Any]:
    standing = (
        Standing.objects.filter(business=business)
        .select_related("size_policy", "readiness_policy")
        .prefetch_related("readiness_policy__criteria")
        .first()
    )
    if standing is not None:
        # The page's one read of the standing and its criteria: kept on the business, so
        # that the panels after this one (the programmes' recommendations read the gaps)
        # do not read them again.
        business.standing = standing
    return {
        "standing": standing,
        "size_reason": explain.size_reason(standing) if standing else "",
        "criteria": explain.criterion_results(standing) if standing else [],
        "graduations": Graduation.objects.filter(business=business).select_related("size_policy"),
        "evidence_choices": EvidenceKind.choices,
        "class_history": explain.class_history(
            financials, standing.size_policy if standing else SizePolicy.in_force()
        ),
        "assessment_form": AssessmentForm(auto_id="assessment_%s"),
    }


def register() -> None:
    # Both panels read the one standing, so the first brings the context of both.
    panels.register("after_business", "graduation/_business_standing.html", _context)
    panels.register("after_details", "graduation/_business_graduations.html")
