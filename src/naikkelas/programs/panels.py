"""Programmes' panel on the business page: enrolments, recommended programmes, outcomes
and credit referrals, each as far as the viewer may see them."""

from collections.abc import Sequence
from typing import Any

from naikkelas.accounts.models import User
from naikkelas.programs import access, recommendations
from naikkelas.programs.forms import MilestoneForm, ReferralForm, offer_banks
from naikkelas.programs.models import Bank
from naikkelas.registry import panels
from naikkelas.registry.models import Business, FinancialRecord


def _context(
    user: User, business: Business, financials: Sequence[FinancialRecord]
) -> dict[str, Any]:
    enrolments = access.enrolments_for(user).filter(business=business).select_related("programme")
    referral_form, milestone_form = ReferralForm(), MilestoneForm()
    # The forms the section shows (as its template decides) list the banks read once:
    # a referral goes to an active partner, an outcome may name any bank.
    if user.can_record_milestones or (user.can_refer_to_banks and business.status == "verified"):
        banks = list(Bank.objects.order_by("name"))
        offer_banks(referral_form, [bank for bank in banks if bank.active])
        offer_banks(milestone_form, banks)
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
        "referral_form": referral_form,
        "milestone_form": milestone_form,
    }


def register() -> None:
    panels.register("after_details", "programs/_business_section.html", _context)
