"""Every write about duplicates: proposing pairs, merging, undoing a merge, "not a duplicate".

A merge moves the merged record's related rows to the survivor and copies the values the
curator chose (the registry writes both records and moves the rows: `registry.merging`);
it writes down exactly what it moved and overwrote (`Merge.moved`, `Merge.overwritten`)
so that `undo_merge` can put everything back.
"""

from collections.abc import Iterable, Mapping, Sequence
from itertools import islice

from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from naikkelas.accounts.models import User
from naikkelas.core import audit
from naikkelas.core.access import require
from naikkelas.core.errors import InvalidTransition
from naikkelas.dedup.models import DuplicatePair, Merge, PairStatus
from naikkelas.graduation.engine import recompute
from naikkelas.graduation.models import Assessment, Graduation, GraduationStatus
from naikkelas.programs.models import CohortMember, Enrolment, Milestone, Referral
from naikkelas.registry import merging
from naikkelas.registry.access import get_business_for
from naikkelas.registry.models import Business, Status
from naikkelas.registry.services import BUSINESS_FIELDS

# The fields a curator chooses between; `owner` picks which owner record the survivor keeps.
MERGE_FIELDS = (*BUSINESS_FIELDS, "owner")
# Records that take no part in a merge: proposals involving them are dropped, and a merge
# involving them is refused.
INACTIVE = (Status.ARCHIVED, Status.MERGED)
# Key in `Merge.moved` for graduations the recompute after the merge proposed on the
# combined figures; they are withdrawn on undo while still only proposed.
PROPOSED_BY_MERGE = "proposed_graduations"

# The related rows that follow a business, by the key used in `Merge.moved`, with the
# columns that may hold one row per business (a clash keeps the survivor's row).
# Programme enrolments (programmes app, not built yet) belong here when they exist.
RELATED: dict[str, tuple[type[models.Model], tuple[str, ...]]] = {
    **merging.DETAILS,
    "assessments": (Assessment, ()),
    "graduations": (Graduation, ("to_year",)),
    "enrolments": (Enrolment, ("programme",)),
    "cohort_seats": (CohortMember, ("cohort",)),
    "milestones": (Milestone, ()),
    "referrals": (Referral, ()),
}
PROPOSE_CHUNK = 2000


def _lock(actor: User, *businesses: Business) -> list[Business]:
    """Both records as they are now, locked; one outside the actor's scope answers 404."""
    for business in businesses:
        get_business_for(actor, business.pk)
    require(actor.can_curate, _("Only curators and administrators review duplicates."))
    ids = [b.pk for b in businesses]
    locked = {b.pk: b for b in Business.objects.select_for_update().filter(pk__in=ids)}
    return [locked[pk] for pk in ids]


def _refuse_inactive(*businesses: Business) -> None:
    for business in businesses:
        if business.status == Status.ARCHIVED:
            raise InvalidTransition(
                _("“%(name)s” is archived and cannot be merged.") % {"name": business.name},
                code="merge_archived",
            )
        if business.status == Status.MERGED:
            raise InvalidTransition(
                _("“%(name)s” has already been merged into another record.")
                % {"name": business.name},
                code="merge_already_merged",
            )


def _pair_of(a: Business, b: Business) -> DuplicatePair | None:
    low, high = sorted((a.pk, b.pk))
    return DuplicatePair.objects.select_for_update().filter(a_id=low, b_id=high).first()


@transaction.atomic
def merge_businesses(
    actor: User,
    pair: DuplicatePair | None,
    survivor: Business,
    merged: Business,
    keep: Mapping[str, str],
) -> Merge:
    """Fold `merged` into `survivor`. `keep` maps a field to "survivor" or "merged": whose
    value the survivor ends up with; a field not named keeps the survivor's value."""
    survivor, merged = _lock(actor, survivor, merged)
    if survivor.pk == merged.pk:
        raise InvalidTransition(
            _("A record cannot be merged with itself."), code="merge_same_record"
        )
    _refuse_inactive(survivor, merged)
    if pair is not None and {pair.a_id, pair.b_id} != {survivor.pk, merged.pk}:
        raise InvalidTransition(
            _("These two records are not the pair under review."), code="merge_wrong_pair"
        )
    if pair is not None and pair.status != PairStatus.PROPOSED:
        raise InvalidTransition(
            _("This pair has already been decided."), code="pair_already_decided"
        )
    pair = _pair_of(survivor, merged)
    unknown = set(keep) - set(MERGE_FIELDS)
    if unknown or not set(keep.values()) <= {"survivor", "merged"}:
        raise InvalidTransition(
            _("Choose for each field which record's value to keep."), code="merge_bad_choice"
        )
    taken = [f for f in MERGE_FIELDS if keep.get(f) == "merged"]
    if "kbli" in taken:
        taken.append("sector")  # the sector is derived from the KBLI code

    folded = merging.fold(survivor, merged, taken)

    moved = merging.move_related(RELATED, survivor, merged)
    graduations_before = set(survivor.graduations.values_list("pk", flat=True))
    recompute([survivor.pk, merged.pk])
    moved[PROPOSED_BY_MERGE] = sorted(
        set(survivor.graduations.values_list("pk", flat=True)) - graduations_before
    )

    if pair is not None:
        pair.status, pair.decided_by, pair.decided_at = PairStatus.MERGED, actor, timezone.now()
        pair.save(update_fields=["status", "decided_by", "decided_at"])
    merge = Merge.objects.create(
        survivor=survivor,
        merged=merged,
        pair=pair,
        moved=moved,
        overwritten=folded.overwritten,
        merged_by=actor,
    )
    note = _("merge %(id)s") % {"id": merge.pk}
    audit.record(actor, "business.merged", survivor, folded.survivor_changes, note)
    audit.record(actor, "business.merged", merged, folded.merged_changes, note)
    survivor.refresh_from_db()
    merged.refresh_from_db()
    return merge


@transaction.atomic
def undo_merge(actor: User, merge: Merge) -> Merge:
    """Put back what `merge` moved and overwrote; refused once undone, or while a later
    merge involving either record stands (undo that one first)."""
    survivor, merged = _lock(actor, merge.survivor, merge.merged)
    merge = Merge.objects.select_for_update().get(pk=merge.pk)
    if merge.undone_at is not None:
        raise InvalidTransition(_("This merge has already been undone."), code="merge_undone")
    involved = Q(survivor__in=[survivor, merged]) | Q(merged__in=[survivor, merged])
    later = Merge.objects.filter(involved, undone_at=None, pk__gt=merge.pk)
    if later.exists():
        raise InvalidTransition(
            _("A later merge involves these records; undo that one first."),
            code="merge_superseded",
        )

    survivor_changes, merged_changes = merging.unfold(survivor, merged, merge.overwritten)

    # Proposals drawn from the combined figures no longer hold; a decided one is the
    # programme's record and stays.
    Graduation.objects.filter(
        pk__in=merge.moved.get(PROPOSED_BY_MERGE, []), status=GraduationStatus.PROPOSED
    ).delete()
    merging.move_back(RELATED, merge.moved, survivor, merged)
    recompute([survivor.pk, merged.pk])

    if merge.pair is not None:
        DuplicatePair.objects.filter(pk=merge.pair.pk).update(
            status=PairStatus.PROPOSED, decided_by=None, decided_at=None
        )
    merge.undone_by, merge.undone_at = actor, timezone.now()
    merge.save(update_fields=["undone_by", "undone_at"])
    note = _("merge %(id)s") % {"id": merge.pk}
    audit.record(actor, "business.merge_undone", survivor, survivor_changes, note)
    audit.record(actor, "business.merge_undone", merged, merged_changes, note)
    return merge


@transaction.atomic
def mark_distinct(actor: User, pair: DuplicatePair) -> DuplicatePair:
    """Remember that the two records are different businesses; never propose them again."""
    a, b = _lock(actor, pair.a, pair.b)
    pair = DuplicatePair.objects.select_for_update().get(pk=pair.pk)
    if pair.status != PairStatus.PROPOSED:
        raise InvalidTransition(
            _("This pair has already been decided."), code="pair_already_decided"
        )
    pair.status, pair.decided_by, pair.decided_at = PairStatus.DISTINCT, actor, timezone.now()
    pair.save(update_fields=["status", "decided_by", "decided_at"])
    audit.record(actor, "business.marked_not_duplicate", a, {"not_duplicate_of": (None, str(b))})
    audit.record(actor, "business.marked_not_duplicate", b, {"not_duplicate_of": (None, str(a))})
    return pair


def propose_pairs(
    pairs: Iterable[tuple[int, int, float, Sequence[str]]], found_by: str = ""
) -> int:
    """Store what batch linkage found: new pairs are proposed, still-proposed ones get the
    new probability and reasons; a decided pair, or one involving a merged or archived
    record, is left alone. Returns how many pairs were proposed or updated. `found_by`
    is written on the new pairs (`DuplicatePair.found_by`); a pair keeps its first.

    No audit entry: a proposal changes no record; the curator's decision is what is audited.
    """
    written = 0
    found = iter(pairs)
    while chunk := list(islice(found, PROPOSE_CHUNK)):
        written += _propose_chunk(chunk, found_by)
    return written


@transaction.atomic
def _propose_chunk(chunk: list[tuple[int, int, float, Sequence[str]]], found_by: str) -> int:
    wanted: dict[tuple[int, int], tuple[float, list[str]]] = {}
    for a_id, b_id, probability, reasons in chunk:
        if a_id != b_id:
            wanted[(min(a_id, b_id), max(a_id, b_id))] = (float(probability), list(reasons))
    ids = {pk for key in wanted for pk in key}
    active = set(
        Business.objects.filter(pk__in=ids)
        .exclude(status__in=INACTIVE)
        .values_list("pk", flat=True)
    )
    wanted = {key: v for key, v in wanted.items() if key[0] in active and key[1] in active}
    existing = {
        (p.a_id, p.b_id): p
        for p in DuplicatePair.objects.filter(
            a_id__in={a for a, _b in wanted}, b_id__in={b for _a, b in wanted}
        )
    }
    new, changed = [], []
    for (a_id, b_id), (probability, reasons) in wanted.items():
        pair = existing.get((a_id, b_id))
        if pair is None:
            new.append(
                DuplicatePair(
                    a_id=a_id,
                    b_id=b_id,
                    probability=probability,
                    reasons=reasons,
                    found_by=found_by,
                )
            )
        elif pair.status == PairStatus.PROPOSED:
            pair.probability, pair.reasons = probability, reasons
            changed.append(pair)
    DuplicatePair.objects.bulk_create(new, batch_size=PROPOSE_CHUNK)
    DuplicatePair.objects.bulk_update(changed, ["probability", "reasons"], batch_size=PROPOSE_CHUNK)
    return len(new) + len(changed)
