"""Outcomes after an intervention: recorded, verified, and attributed to enrolments.

A milestone is attributed to the business's enrolments that had begun (enrolled or
completed) on or before its date; the link is fixed when it is recorded, so a later
enrolment never claims an earlier success.
"""

import datetime
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from naikkelas.accounts.models import User
from naikkelas.core import audit
from naikkelas.core.access import require
from naikkelas.core.errors import DomainError, FieldErrors
from naikkelas.graduation.models import Graduation
from naikkelas.programs.models import (
    Bank,
    EnrolmentStatus,
    Milestone,
    MilestoneKind,
)
from naikkelas.registry.models import Business, LegalityKind


def _check_date(business: Business, occurred_on: Any) -> dict[str, list[ValidationError]]:
    if not isinstance(occurred_on, datetime.date):
        return {"occurred_on": [ValidationError(_("Give the date."), code="required")]}
    if occurred_on > timezone.localdate():
        return {
            "occurred_on": [
                ValidationError(_("The date cannot be in the future."), code="date_future")
            ]
        }
    if business.start_year and occurred_on < datetime.date(
        business.start_year, business.start_month or 1, 1
    ):
        return {
            "occurred_on": [
                ValidationError(
                    _("The date is before the business started."), code="date_before_start"
                )
            ]
        }
    return {}


def _details(
    kind: str, data: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, list[ValidationError]]]:
    """The fields a kind records, checked; everything else stays empty."""
    errors: dict[str, list[ValidationError]] = {}
    clean: dict[str, Any] = {"note": str(data.get("note") or "").strip()}
    amount = data.get("amount")
    if kind == MilestoneKind.EXPORT:
        clean["country"] = str(data.get("country") or "").strip()
        clean["product"] = str(data.get("product") or "").strip()
        if not clean["country"]:
            errors["country"] = [
                ValidationError(_("Name the destination country."), code="required")
            ]
        if not clean["product"]:
            errors["product"] = [ValidationError(_("Name the product exported."), code="required")]
    elif kind == MilestoneKind.CERTIFICATION:
        clean["certification"] = data.get("certification") or ""
        if clean["certification"] not in LegalityKind.values:
            errors["certification"] = [
                ValidationError(_("Choose the certificate obtained."), code="invalid_choice")
            ]
    elif kind == MilestoneKind.CREDIT:
        bank = data.get("bank")
        if not isinstance(bank, Bank):
            errors["bank"] = [ValidationError(_("Choose the bank."), code="required")]
        clean["bank"] = bank
        if not isinstance(amount, int) or isinstance(amount, bool) or amount <= 0:
            errors["amount"] = [
                ValidationError(
                    _("The amount must be a positive rupiah amount."), code="amount_not_positive"
                )
            ]
        clean["amount"] = amount
    elif kind == MilestoneKind.JOBS:
        jobs = data.get("jobs")
        if not isinstance(jobs, int) or isinstance(jobs, bool) or jobs <= 0:
            errors["jobs"] = [
                ValidationError(
                    _("Give the number of jobs created (1 or more)."), code="jobs_not_positive"
                )
            ]
        clean["jobs"] = jobs
    elif kind == MilestoneKind.SALES:
        if not isinstance(amount, int) or isinstance(amount, bool) or amount == 0:
            errors["amount"] = [
                ValidationError(
                    _("Give the change in annual sales in rupiah (negative for a fall)."),
                    code="amount_zero",
                )
            ]
        clean["amount"] = amount
    else:
        errors["kind"] = [ValidationError(_("Choose what happened."), code="invalid_choice")]
    return clean, errors


def attribute(milestones: QuerySet[Milestone]) -> None:
    """Credit each of these (unattributed) milestones to the enrolments of its business
    that had begun by the day it happened: the one rule, for one milestone or the demo's
    hundreds."""
    begun = milestones.filter(
        business__enrolments__status__in=[EnrolmentStatus.ENROLLED, EnrolmentStatus.COMPLETED],
        business__enrolments__enrolled_on__lte=F("occurred_on"),
    ).values_list("pk", "business__enrolments")
    through = Milestone.enrolments.through
    through.objects.bulk_create(
        [through(milestone_id=m, enrolment_id=e) for m, e in begun], ignore_conflicts=True
    )


def _attribute(milestone: Milestone) -> None:
    milestone.enrolments.clear()
    attribute(Milestone.objects.filter(pk=milestone.pk))


@transaction.atomic
def record_milestone(
    actor: User, business: Business, kind: str, occurred_on: Any, data: Mapping[str, Any]
) -> Milestone:
    """A new outcome, unverified until a curator or manager checks it. Graduations are
    recorded by the engine's confirmation, not here."""
    require(actor.can_record_milestones, _("You are not allowed to record outcomes."))
    details, errors = _details(kind, data)
    errors |= _check_date(business, occurred_on)
    if errors:
        raise FieldErrors(errors)
    milestone = Milestone.objects.create(
        business=business, kind=kind, occurred_on=occurred_on, recorded_by=actor, **details
    )
    _attribute(milestone)
    audit.record(actor, f"milestone.{kind}", business, note=str(occurred_on))
    return milestone


@transaction.atomic
def verify_milestone(actor: User, milestone: Milestone) -> Milestone:
    require(actor.can_verify_milestones, _("Only curators and programme managers verify outcomes."))
    current = Milestone.objects.select_for_update().get(pk=milestone.pk)
    if current.verified_at is not None:
        raise DomainError(_("This outcome is verified already."), code="verified")
    current.verified_by, current.verified_at = actor, timezone.now()
    current.save(update_fields=["verified_by", "verified_at"])
    audit.record(
        actor, "milestone.verified", current.business, note=f"{current.kind} {current.occurred_on}"
    )
    return current


def record_graduation(graduation: Graduation) -> Milestone:
    """The engine's confirmed graduation as a verified milestone (inside the transaction
    that confirmed it: graduation.signals.graduation_confirmed)."""
    decided = graduation.decided_at or timezone.now()
    milestone = Milestone.objects.create(
        business_id=graduation.business_id,
        kind=MilestoneKind.GRADUATION,
        occurred_on=timezone.localdate(decided),
        graduation=graduation,
        note=f"{graduation.from_year} → {graduation.to_year}",
        recorded_by=graduation.decided_by,
        verified_by=graduation.decided_by,
        verified_at=decided,
    )
    _attribute(milestone)
    return milestone


def record_credit(
    actor: User, business: Business, bank: Bank, amount: int, on: datetime.date
) -> Milestone:
    """A disbursement the bank itself reported: verified by that answer."""
    milestone = Milestone.objects.create(
        business=business, kind=MilestoneKind.CREDIT, occurred_on=on, bank=bank, amount=amount,
        recorded_by=actor, verified_by=actor, verified_at=timezone.now(),
    )  # fmt: skip
    _attribute(milestone)
    return milestone
