"""Which programmes close a business's gaps, and a plan that seats a cohort in them.

A recommendation is a programme that addresses at least one of the business's open
readiness gaps, still runs (or has not started), has a free seat, and does not hold the
business already. A cohort plan gives each member, in rank order, one programme per open
gap while seats last, so the members picked first are served first.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from naikkelas.accounts.models import User
from naikkelas.core import rules
from naikkelas.core.access import require
from naikkelas.core.errors import FieldErrors
from naikkelas.graduation.explain import gaps
from naikkelas.programs.cohorts import active_members
from naikkelas.programs.models import SEATED, Cohort, Enrolment, EnrolmentStatus, Programme
from naikkelas.programs.services import MANAGERS_ONLY, nominate
from naikkelas.registry.models import Business

# A pair of the plan that is not (member of the cohort, existing programme): a plan made
# for another cohort, or a form that was changed.
PLAN_OUTSIDE_COHORT = rules.Rule(
    "plan_outside_cohort", _("The plan names businesses outside the cohort.")
)


def open_programmes(on: datetime.date | None = None) -> list[tuple[Programme, int]]:
    """Programmes still taking businesses, each with its free seats."""
    on = on or timezone.localdate()
    programmes = Programme.objects.filter(ends_on__gte=on).annotate(
        taken=Count("enrolments", filter=Q(enrolments__status__in=SEATED))
    )
    return [(p, p.capacity - p.taken) for p in programmes.order_by("starts_on", "name")]


def open_gaps(business: Business) -> list[str]:
    standing = getattr(business, "standing", None)
    return gaps(standing) if standing is not None else []


def for_business(business: Business, on: datetime.date | None = None) -> list[Programme]:
    """Programmes for this business, those closing the most gaps first."""
    wanted = set(open_gaps(business))
    if not wanted:
        return []
    held = Enrolment.objects.filter(business=business).exclude(status=EnrolmentStatus.DROPPED)
    held_ids = set(held.values_list("programme_id", flat=True))
    found = [
        p
        for p, free in open_programmes(on)
        if free > 0 and p.pk not in held_ids and wanted & set(p.criteria)
    ]
    return sorted(found, key=lambda p: (-len(wanted & set(p.criteria)), p.starts_on, p.name))


@dataclass(frozen=True)
class Assignment:
    business: Business
    programme: Programme
    gap: str


def plan_for_cohort(cohort: Cohort, on: datetime.date | None = None) -> list[Assignment]:
    seats = open_programmes(on)
    programmes = [p for p, _free in seats]
    free = {p.pk: n for p, n in seats}
    members = (
        active_members(cohort)
        .select_related("business__standing__readiness_policy")
        .prefetch_related("business__standing__readiness_policy__criteria")
    )
    held: set[tuple[int, int]] = set(
        Enrolment.objects.filter(business__in=members.values("business_id"))
        .exclude(status=EnrolmentStatus.DROPPED)
        .values_list("business_id", "programme_id")
    )
    plan: list[Assignment] = []
    for member in members.order_by("rank"):
        business = member.business
        for gap in open_gaps(business):
            choice = next(
                (
                    p for p in programmes
                    if gap in p.criteria and free[p.pk] > 0 and (business.pk, p.pk) not in held
                ),
                None,
            )  # fmt: skip
            if choice is None:
                continue
            free[choice.pk] -= 1
            held.add((business.pk, choice.pk))
            plan.append(Assignment(business, choice, gap))
    return plan


@transaction.atomic
def accept_plan(
    actor: User, cohort: Cohort, pairs: Iterable[tuple[int, int]], on: datetime.date | None = None
) -> list[Enrolment]:
    """Nominate each (business, programme) the manager kept; all or nothing."""
    require(actor.can_manage_programmes, MANAGERS_ONLY)
    members = {m.business_id: m.business for m in active_members(cohort).select_related("business")}
    programmes = {p.pk: p for p in Programme.objects.all()}
    unknown = [b for b, p in pairs if b not in members or p not in programmes]
    if unknown:
        raise FieldErrors({"plan": [PLAN_OUTSIDE_COHORT.refuse()]})
    return [
        nominate(actor, programmes[programme_id], members[business_id], cohort=cohort, on=on)
        for business_id, programme_id in pairs
    ]
