"""Credit referrals to partner banks, and the banks' answers.

A bank partner sees a referral through `access.referrals_for` only when it is addressed
to its bank, and sees only what a credit officer needs (`for_bank`): the NIK stays
masked unless the owner agreed to share it, and even then showing it is audited.
"""

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from naikkelas.accounts.models import Role, User
from naikkelas.core import audit
from naikkelas.core.access import require
from naikkelas.core.errors import DomainError, FieldErrors, InvalidTransition
from naikkelas.programs import milestones
from naikkelas.programs.models import (
    Bank,
    CreditProduct,
    Enrolment,
    Referral,
    ReferralStatus,
)
from naikkelas.registry.models import Business, FinancialRecord, Status

# Which answers may follow which: a disbursement may come straight after the referral.
ANSWERS = {
    ReferralStatus.APPROVED: {ReferralStatus.SENT},
    ReferralStatus.DECLINED: {ReferralStatus.SENT, ReferralStatus.APPROVED},
    ReferralStatus.DISBURSED: {ReferralStatus.SENT, ReferralStatus.APPROVED},
}


def _positive_amount(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


@transaction.atomic
def refer(
    actor: User,
    business: Business,
    bank: Bank,
    product: str,
    amount: Any,
    *,
    purpose: str = "",
    owner_consent: bool = False,
    enrolment: Enrolment | None = None,
    on: datetime.date | None = None,
) -> Referral:
    require(actor.can_refer_to_banks, _("Only the programme office refers businesses to banks."))
    errors: dict[str, list[ValidationError]] = {}
    if not bank.active:
        errors["bank"] = [
            ValidationError(_("This bank is no longer a partner."), code="bank_inactive")
        ]
    if product not in CreditProduct.values:
        errors["product"] = [
            ValidationError(_("Choose the credit product."), code="invalid_choice")
        ]
    if not _positive_amount(amount):
        errors["amount_requested"] = [
            ValidationError(
                _("The amount must be a positive rupiah amount."), code="amount_not_positive"
            )
        ]
    on = on or timezone.localdate()
    if on > timezone.localdate():
        errors["referred_on"] = [
            ValidationError(_("The date cannot be in the future."), code="date_future")
        ]
    if errors:
        raise FieldErrors(errors)
    if business.status in (Status.ARCHIVED, Status.MERGED):
        raise DomainError(
            _("%(name)s is archived or merged.") % {"name": business.name}, code="business_inactive"
        )
    referral = Referral.objects.create(
        business=business, bank=bank, product=product, amount_requested=amount,
        purpose=purpose.strip(), owner_consent=owner_consent, enrolment=enrolment,
        referred_on=on, created_by=actor,
    )  # fmt: skip
    audit.record(
        actor, "referral.sent", business,
        {"amount_requested": (None, amount), "owner_consent": (None, owner_consent)}, bank.name,
    )  # fmt: skip
    return referral


def _bank_staff(actor: User, referral: Referral) -> bool:
    return actor.role == Role.BANK and referral.bank.staff.filter(pk=actor.pk).exists()


@transaction.atomic
def answer_referral(
    actor: User,
    referral: Referral,
    decision: str,
    *,
    amount: Any = None,
    note: str = "",
    on: datetime.date | None = None,
) -> Referral:
    """The bank's answer: approved (with the amount), declined (with a reason) or
    disbursed (with the amount paid out, which becomes a credit milestone)."""
    current = (
        Referral.objects.select_for_update().select_related("bank", "business").get(pk=referral.pk)
    )
    require(
        _bank_staff(actor, current), _("Only the bank a referral is addressed to may answer it.")
    )
    if decision not in ANSWERS:
        raise FieldErrors(
            {
                "decision": [
                    ValidationError(
                        _("Answer approved, declined or disbursed."), code="invalid_choice"
                    )
                ]
            }
        )
    if current.status not in ANSWERS[ReferralStatus(decision)]:
        raise InvalidTransition(
            _("A referral that is %(status)s cannot be %(decision)s.")
            % {"status": current.get_status_display(), "decision": ReferralStatus(decision).label}
        )
    on = on or timezone.localdate()
    errors: dict[str, list[ValidationError]] = {}
    if on > timezone.localdate() or on < current.referred_on:
        errors["answered_on"] = [
            ValidationError(
                _("The date must fall between the referral and today."), code="date_range"
            )
        ]
    if decision == ReferralStatus.DECLINED and not note.strip():
        errors["note"] = [ValidationError(_("Give the reason for declining."), code="required")]
    if decision != ReferralStatus.DECLINED and not _positive_amount(amount):
        errors["amount"] = [
            ValidationError(
                _("The amount must be a positive rupiah amount."), code="amount_not_positive"
            )
        ]
    if errors:
        raise FieldErrors(errors)
    old = current.status
    current.status, current.answer_note = decision, note.strip()
    current.answered_on, current.answered_by = on, actor
    if decision == ReferralStatus.APPROVED:
        current.amount_approved = amount
    elif decision == ReferralStatus.DISBURSED:
        current.amount_disbursed = amount
        milestones.record_credit(actor, current.business, current.bank, amount, on)
    current.save()
    audit.record(
        actor, f"referral.{decision}", current.business,
        {"status": (old, decision), "amount": (None, amount)}, current.bank.name,
    )  # fmt: skip
    return current


@dataclass(frozen=True)
class BankView:
    """A referral as its bank sees it: no address beyond the kelurahan, no phone."""

    referral: Referral
    business_name: str
    nib: str
    kelurahan: str
    main_activity: str
    owner_name: str
    nik_masked: str
    latest_sales: FinancialRecord | None


def for_bank(referral: Referral) -> BankView:
    business = referral.business
    latest = (
        FinancialRecord.objects.filter(business=business, annual_sales__isnull=False)
        .order_by("-year")
        .first()
    )
    return BankView(
        referral=referral,
        business_name=business.name,
        nib=business.nib,
        kelurahan=business.kelurahan.name,
        main_activity=business.main_activity or business.main_product,
        owner_name=business.owner.name,
        nik_masked=business.owner.nik_masked,
        latest_sales=latest,
    )


@transaction.atomic
def reveal_nik(actor: User, referral: Referral) -> str:
    """The full NIK for the bank's credit check, only with the owner's consent."""
    require(
        _bank_staff(actor, referral) or actor.can_reveal_personal_data,
        _("You are not allowed to see this."),
    )
    if not referral.owner_consent:
        raise DomainError(
            _("The owner has not agreed to share the NIK with the bank."), code="no_consent"
        )
    audit.record(actor, "referral.nik_revealed", referral.business, note=referral.bank.name)
    return referral.business.owner.nik
