"""Writes of the graduation domain: policies and assessments."""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from naikkelas.accounts.models import User
from naikkelas.core import audit, rules
from naikkelas.core.access import require
from naikkelas.core.errors import FieldErrors, InvalidTransition
from naikkelas.graduation.engine import recompute
from naikkelas.graduation.models import (
    Assessment,
    EvidenceKind,
    Graduation,
    GraduationStatus,
    ReadinessPolicy,
    SizePolicy,
)
from naikkelas.graduation.signals import graduation_confirmed
from naikkelas.graduation.tasks import recompute_registry
from naikkelas.jobs.models import Job, JobKind
from naikkelas.jobs.services import start_job
from naikkelas.registry.models import Business

# The refusals of policies, assessments and graduation decisions, each with its stable
# code; the admin's forms raise the same ones.
THRESHOLDS_RISING = rules.Rule(
    "thresholds_not_rising",
    gettext_lazy("Thresholds must be positive and rise from micro to small to medium."),
)
POLICY_CRITERIA = rules.Rule(
    "required", gettext_lazy("A readiness policy needs at least one criterion.")
)
ASSESSED_ON = rules.DateRange(
    "assessment_date_range", gettext_lazy("Enter the date of the visit."),
    first=datetime.date(2000, 1, 1),
)  # fmt: skip
EVIDENCE_KIND = rules.Rule(
    "invalid_choice", gettext_lazy("Name the evidence that proves the new turnover.")
)
REJECTION_REASON = rules.Rule("required", gettext_lazy("Give a reason."))


def check_size_thresholds(policy: SizePolicy) -> None:
    """Each criterion's bounds must rise strictly: overlapping classes are refused."""
    errors: dict[str, list[ValidationError]] = {}
    for criterion in ("capital", "sales"):
        bounds = [bound for _cls, bound in policy.bounds(criterion)]
        if any(b is None or b <= 0 for b in bounds) or not bounds[0] < bounds[1] < bounds[2]:
            errors[f"small_max_{criterion}"] = [THRESHOLDS_RISING.refuse()]
    if errors:
        raise FieldErrors(errors)


@transaction.atomic
def adopt_policy(actor: User, policy: SizePolicy | ReadinessPolicy) -> int:
    """Record a new policy version (saved by the caller) and recompute if it is in force.

    Earlier results keep naming the version that produced them; confirmed graduations
    are records of their own and are never recomputed.
    """
    require(actor.is_admin, _("Only an administrator can change policies."))
    if isinstance(policy, ReadinessPolicy) and not policy.criteria.exists():
        raise FieldErrors({"criteria": [POLICY_CRITERIA.refuse()]})
    audit.record(actor, "policy.adopted", policy, {"effective_from": (None, policy.effective_from)})
    if policy.effective_from <= timezone.localdate():
        return recompute()
    return 0


def start_recompute(actor: User) -> Job:
    """Queue a recompute of the whole registry, for when a province-sized registry makes
    doing it inside a request too slow."""
    require(actor.can_curate, _("Only curators and administrators start a recompute."))
    return start_job(actor, JobKind.RECOMPUTE, recompute_registry)


@transaction.atomic
def record_assessment(actor: User, business: Business, data: dict[str, Any]) -> Assessment:
    require(actor.can_curate, _("Only curators assess businesses."))
    assessment = Assessment(business=business, assessor=actor, **data)
    try:
        assessment.full_clean()
    except ValidationError as e:
        raise FieldErrors(e.error_dict) from None  # the model's own codes
    try:
        ASSESSED_ON.check(assessment.assessed_on)
    except ValidationError as e:
        raise FieldErrors({"assessed_on": [e]}) from None
    assessment.save()
    audit.record(
        actor, "business.assessed", business,
        {k: (None, v) for k, v in data.items() if k != "notes"},
    )  # fmt: skip
    recompute([business.pk])
    return assessment


def _decide(actor: User, graduation: Graduation) -> Graduation:
    require(actor.can_curate, _("Only curators decide graduations."))
    current = Graduation.objects.select_for_update().get(pk=graduation.pk)
    if current.status != GraduationStatus.PROPOSED:
        raise InvalidTransition(_("This graduation has already been decided."))
    current.decided_by, current.decided_at = actor, timezone.now()
    return current


@transaction.atomic
def confirm_graduation(
    actor: User, graduation: Graduation, evidence_kind: str, note: str
) -> Graduation:
    """Count a graduation, on the evidence named (tax report, bank statement, ledger)."""
    current = _decide(actor, graduation)
    if evidence_kind not in EvidenceKind.values:
        raise FieldErrors({"evidence_kind": [EVIDENCE_KIND.refuse()]})
    current.status, current.evidence_kind, current.evidence_note = (
        GraduationStatus.CONFIRMED, evidence_kind, note.strip(),
    )  # fmt: skip
    current.save(
        update_fields=["status", "evidence_kind", "evidence_note", "decided_by", "decided_at"]
    )
    audit.record(
        actor, "business.graduation_confirmed", current.business,
        {"class": (current.from_class, current.to_class), "evidence": (None, evidence_kind)},
        f"{current.from_year} → {current.to_year}",
    )  # fmt: skip
    # The programme's outcome record: attributed to the enrolments that came before.
    graduation_confirmed.send(Graduation, graduation=current)
    return current


@transaction.atomic
def reject_graduation(actor: User, graduation: Graduation, reason: str) -> Graduation:
    current = _decide(actor, graduation)
    if not reason.strip():
        raise FieldErrors({"reason": [REJECTION_REASON.refuse()]})
    current.status, current.reason = GraduationStatus.REJECTED, reason.strip()
    current.save(update_fields=["status", "reason", "decided_by", "decided_at"])
    audit.record(
        actor, "business.graduation_rejected", current.business,
        {"class": (current.from_class, current.to_class)}, reason.strip(),
    )  # fmt: skip
    return current
