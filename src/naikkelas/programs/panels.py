"""Programmes' panel on the business page: enrolments, recommended programmes, outcomes
and credit referrals, each as far as the viewer may see them."""

from collections.abc import Sequence
from typing import Any

from naikkelas.accounts.models import User
from naikkelas.programs import access, recommendations
from naikkelas.programs.forms import MilestoneForm, ReferralForm
from naikkelas.registry import panels
from naikkelas.registry.models import Business, FinancialRecord


def _context(
    user: User, business: Business, financials: Sequence[FinancialRecord]
) -> dict[str, Any]:
    enrolments = access.enrolments_for(user).filter(business=business).select_related("programme")
    return {
        "enrolments": enrolments,
        "recommended": recommendations.for_business(business)
        if business.status == "verified"
        else [],
        "milestones": access.milestones_for(user).filter(business=business).select_related("bank"),
        "referrals": access.referrals_for(user).filter(business=business).select_related("bank"),
        "can_manage": user.can_manage_programmes,
        "can_refer": user.can_refer_to_banks,
        "can_record": user.can_record_milestones,
        "can_verify": user.can_verify_milestones,
        "referral_form": ReferralForm(),
        "milestone_form": MilestoneForm(),
    }


def register() -> None:
    panels.register("after_details", "programs/_business_section.html", _context)
