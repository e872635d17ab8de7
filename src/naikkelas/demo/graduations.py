"""The graduations: the engine proposes them from the two verified years each planned
graduate was given, then the curator's decisions are recorded on the days they were
made, with the audit entry the service function would write."""

import datetime
from collections import Counter

from naikkelas.core import bulk
from naikkelas.core.models import AuditEntry
from naikkelas.demo.context import Context
from naikkelas.demo.plan import Spec
from naikkelas.demo.tables import GRADUATION_EVIDENCE, REJECTION_REASONS
from naikkelas.graduation.engine import propose_graduations
from naikkelas.graduation.models import Graduation, GraduationStatus, SizePolicy
from naikkelas.registry.models import Business


def decide_graduations(ctx: Context, graduations: dict[int, Spec]) -> tuple[Counter[str], int]:
    """Propose and decide the planned graduations (by business id); return the count of
    graduations by status and how many audit entries were written."""
    if not graduations:
        return Counter(), 0
    rng = ctx.rng
    ids = sorted(graduations)
    propose_graduations(ids, SizePolicy.in_force())
    curator = ctx.curator
    decided: list[Graduation] = []
    entries: list[dict[str, object]] = []
    for graduation in Graduation.objects.filter(business_id__in=ids).order_by("business_id"):
        spec = graduations[graduation.business_id]
        if spec.decided_at is None or spec.checked_at is None:
            continue
        graduation.proposed_at = spec.checked_at + datetime.timedelta(minutes=rng.uniform(1, 60))
        graduation.decided_by, graduation.decided_at = curator, spec.decided_at
        changes: dict[str, list[str | None]] = {
            "class": [graduation.from_class, graduation.to_class]
        }
        if spec.graduation == GraduationStatus.CONFIRMED:
            kind, note = rng.choice(GRADUATION_EVIDENCE)
            graduation.status = GraduationStatus.CONFIRMED
            graduation.evidence_kind = kind
            graduation.evidence_note = note.format(year=graduation.to_year)
            action, note = (
                "business.graduation_confirmed",
                (f"{graduation.from_year} → {graduation.to_year}"),
            )
            changes["evidence"] = [None, kind]
        else:
            graduation.status = GraduationStatus.REJECTED
            graduation.reason = note = rng.choice(REJECTION_REASONS)
            action = "business.graduation_rejected"
        decided.append(graduation)
        # Written with the day of the decision: bulk.insert stores the created_at given.
        entries.append(
            {
                "actor_id": curator.pk if curator else None,
                "actor_name": curator.get_username() if curator else "system",
                "action": action,
                "object_type": Business._meta.label_lower,
                "object_id": str(graduation.business_id),
                "changes": changes,
                "note": note,
                "created_at": spec.decided_at,
            }
        )
    Graduation.objects.bulk_update(
        decided,
        ["status", "evidence_kind", "evidence_note", "reason", "proposed_at", "decided_at",
         "decided_by"],
    )  # fmt: skip
    bulk.insert(AuditEntry, entries)
    counts = Counter(
        Graduation.objects.filter(business_id__in=ids).values_list("status", flat=True)
    )
    return counts, len(entries)
