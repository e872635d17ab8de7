"""Picking a cohort from the eligibility list, freezing it, and changing it afterwards.

Before it is frozen a cohort is a draft whose members can be added and removed freely.
Freezing stores each member's class, score and gaps as they are at that moment; after
that the snapshot is never written again, and adding or removing a member needs a
reason, is audited, and leaves the removed member listed.
"""

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from naikkelas.accounts.models import User
from naikkelas.core import audit
from naikkelas.core.access import require
from naikkelas.core.errors import DomainError, FieldErrors
from naikkelas.graduation.explain import gaps
from naikkelas.programs.models import Cohort, CohortMember
from naikkelas.programs.services import MANAGERS_ONLY
from naikkelas.regions.models import in_region
from naikkelas.registry.access import businesses_for, countable
from naikkelas.registry.models import Business, Status

MAX_SIZE = 1000


@dataclass(frozen=True)
class Rule:
    """Top `size` ready businesses by readiness score, at most `quota_per_kecamatan`
    from any one kecamatan, optionally of one sector (KBLI letter) or kecamatan."""

    size: int
    quota_per_kecamatan: int | None = None
    sector: str = ""
    kecamatan: str = ""

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> "Rule":
        errors: dict[str, list[ValidationError]] = {}
        size = data.get("size")
        if not isinstance(size, int) or not 1 <= size <= MAX_SIZE:
            errors["size"] = [
                ValidationError(
                    _("The cohort size must be between 1 and %(max)d.") % {"max": MAX_SIZE},
                    code="size_range",
                )
            ]
        quota = data.get("quota_per_kecamatan")
        if quota is not None and (not isinstance(quota, int) or quota < 1):
            errors["quota_per_kecamatan"] = [
                ValidationError(_("The quota must be at least 1, or empty."), code="quota_range")
            ]
        if errors:
            raise FieldErrors(errors)
        return cls(
            size=int(size),  # type: ignore[arg-type]
            quota_per_kecamatan=quota,
            sector=str(data.get("sector") or ""),
            kecamatan=str(data.get("kecamatan") or "").rstrip("."),
        )

    def as_data(self) -> dict[str, Any]:
        return {
            "size": self.size, "quota_per_kecamatan": self.quota_per_kecamatan,
            "sector": self.sector, "kecamatan": self.kecamatan,
        }  # fmt: skip


def _with_standing(businesses: QuerySet[Business]) -> QuerySet[Business]:
    return businesses.select_related("kelurahan", "standing__readiness_policy").prefetch_related(
        "standing__readiness_policy__criteria"
    )


def candidates(actor: User, rule: Rule) -> list[Business]:
    """The businesses the rule picks, in rank order (the preview)."""
    pool = countable(businesses_for(actor)).filter(status=Status.VERIFIED, standing__ready=True)
    if rule.sector:
        pool = pool.filter(sector=rule.sector)
    if rule.kecamatan:
        pool = pool.filter(in_region("kelurahan__code", rule.kecamatan))
    picked: list[Business] = []
    per_kecamatan: Counter[str] = Counter()
    ordered = _with_standing(pool).order_by("-standing__readiness_score", "name", "id")
    for business in ordered.iterator(chunk_size=500):
        kecamatan = business.kelurahan_id.rsplit(".", 1)[0]
        if rule.quota_per_kecamatan and per_kecamatan[kecamatan] >= rule.quota_per_kecamatan:
            continue
        per_kecamatan[kecamatan] += 1
        picked.append(business)
        if len(picked) == rule.size:
            break
    return picked


def snapshot(business: Business) -> dict[str, Any]:
    """What a member looked like when picked."""
    standing = business.standing
    return {
        "business_name": business.name,
        "kelurahan_code": business.kelurahan_id,
        "sector": business.sector,
        "size_class": standing.size_class,
        "readiness_score": standing.readiness_score,
        "ready": standing.ready,
        "gaps": gaps(standing),
    }


def _name(name: str) -> str:
    name = name.strip()
    if not name:
        raise FieldErrors(
            {"name": [ValidationError(_("Give the cohort a name."), code="required")]}
        )
    if Cohort.objects.filter(name__iexact=name).exists():
        raise FieldErrors(
            {
                "name": [
                    ValidationError(_("A cohort with this name exists already."), code="name_taken")
                ]
            }
        )
    return name


@transaction.atomic
def create_cohort(actor: User, name: str, rule: Rule, description: str = "") -> Cohort:
    """A draft cohort holding the rule's picks."""
    require(actor.can_manage_programmes, MANAGERS_ONLY)
    cohort = Cohort.objects.create(
        name=_name(name), description=description.strip(), rule=rule.as_data(), created_by=actor
    )
    CohortMember.objects.bulk_create(
        CohortMember(cohort=cohort, business=b, rank=rank, added_by=actor, **snapshot(b))
        for rank, b in enumerate(candidates(actor, rule), start=1)
    )
    audit.record(actor, "cohort.created", cohort, note=f"{cohort.name}: {rule.as_data()}")
    return cohort


def active_members(cohort: Cohort) -> QuerySet[CohortMember]:
    return cohort.members.filter(removed_at__isnull=True)


@transaction.atomic
def freeze_cohort(actor: User, cohort: Cohort) -> Cohort:
    require(actor.can_manage_programmes, MANAGERS_ONLY)
    current = Cohort.objects.select_for_update().get(pk=cohort.pk)
    if current.is_frozen:
        raise DomainError(_("This cohort is frozen already."), code="cohort_frozen")
    members = list(active_members(current))
    if not members:
        raise DomainError(_("An empty cohort cannot be frozen."), code="cohort_empty")
    # The snapshot is taken now, as the members stand at the moment of selection.
    businesses = _with_standing(Business.objects.filter(pk__in=[m.business_id for m in members]))
    fresh = {b.pk: snapshot(b) for b in businesses}
    for member in members:
        for field, value in fresh[member.business_id].items():
            setattr(member, field, value)
    CohortMember.objects.bulk_update(members, list(next(iter(fresh.values()))))
    current.frozen_at, current.frozen_by = timezone.now(), actor
    current.save(update_fields=["frozen_at", "frozen_by"])
    audit.record(actor, "cohort.frozen", current, note=f"{current.name}: {len(members)}")
    return current


def _reason(cohort: Cohort, reason: str) -> str:
    reason = reason.strip()
    if cohort.is_frozen and not reason:
        raise FieldErrors(
            {
                "reason": [
                    ValidationError(
                        _("The cohort is frozen: give a reason for the change."), code="required"
                    )
                ]
            }
        )
    return reason


@transaction.atomic
def add_member(actor: User, cohort: Cohort, business: Business, reason: str = "") -> CohortMember:
    require(actor.can_manage_programmes, MANAGERS_ONLY)
    current = Cohort.objects.select_for_update().get(pk=cohort.pk)
    reason = _reason(current, reason)
    if business.status in (Status.ARCHIVED, Status.MERGED):
        raise DomainError(
            _("%(name)s is archived or merged.") % {"name": business.name}, code="business_inactive"
        )
    business = _with_standing(Business.objects.filter(pk=business.pk)).get()
    if not hasattr(business, "standing"):
        raise DomainError(_("This business has no standing yet."), code="no_standing")
    member = current.members.filter(business=business).first()
    if member and member.removed_at is None:
        raise DomainError(
            _("%(name)s is already in this cohort.") % {"name": business.name},
            code="already_member",
        )
    fields = snapshot(business) | {
        "added_by": actor, "added_reason": reason, "added_at": timezone.now(),
        "removed_at": None, "removed_by": None, "removed_reason": "",
    }  # fmt: skip
    if member is None:
        last = current.members.order_by("-rank").values_list("rank", flat=True).first() or 0
        member = CohortMember.objects.create(
            cohort=current, business=business, rank=last + 1, **fields
        )
    else:
        for field, value in fields.items():
            setattr(member, field, value)
        member.save()
    audit.record(actor, "cohort.member_added", current, {"business": (None, business.pk)}, reason)
    return member


@transaction.atomic
def remove_member(actor: User, cohort: Cohort, member: CohortMember, reason: str = "") -> None:
    require(actor.can_manage_programmes, MANAGERS_ONLY)
    current = Cohort.objects.select_for_update().get(pk=cohort.pk)
    reason = _reason(current, reason)
    member = current.members.get(pk=member.pk)
    if member.removed_at is not None:
        raise DomainError(_("This member has left the cohort already."), code="not_member")
    if current.is_frozen:
        member.removed_at, member.removed_by, member.removed_reason = timezone.now(), actor, reason
        member.save(update_fields=["removed_at", "removed_by", "removed_reason"])
    else:
        member.delete()
    audit.record(
        actor, "cohort.member_removed", current, {"business": (member.business_id, None)}, reason
    )
