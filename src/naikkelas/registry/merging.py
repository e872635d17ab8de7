"""Folding one business record into another, and back: the registry's half of a merge.

dedup decides a merge (which pair, which record survives, whose value each field keeps,
who may) and keeps its record (`dedup.models.Merge`). These functions write the two
businesses and move the rows that follow a business from one record to the other; they
hand back exactly what they overwrote and moved, which `unfold` and `move_back` take to
put everything back.

They run in the caller's transaction, on records it has locked (select_for_update),
check no permission and write no audit entry: dedup audits the merge as a whole, with
the changes these return. They recompute nothing.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, cast

from django.db import models
from django.db.models import F, Q

from naikkelas.registry.models import (
    Business,
    FinancialRecord,
    LegalityDocument,
    Product,
    SalesChannel,
    Status,
)

Changes = dict[str, tuple[Any, Any]]
# Models whose rows follow a business (by their `business` foreign key), by the key
# used in what `move_related` moved, with the columns that may hold one row per
# business (a clash keeps the survivor's row).
Related = Mapping[str, tuple[type[models.Model], tuple[str, ...]]]

# The registry's own rows that follow a business; other apps add theirs (dedup.RELATED).
DETAILS: dict[str, tuple[type[models.Model], tuple[str, ...]]] = {
    "financials": (FinancialRecord, ("year", "basis")),
    "legality": (LegalityDocument, ()),
    "products": (Product, ()),
    "channels": (SalesChannel, ()),
}
# Key in what `fold` overwrote for what it changed on the merged record itself.
MERGED_RECORD = "__merged__"
# Key in what `move_related` moved for the merged record's rows left behind because
# the survivor already had a row for the same year (and basis).
NOT_MOVED = "not_moved"


@dataclass
class Fold:
    """What `fold` did: the values it overwrote (for `unfold`) and each record's changes
    as the audit log shows them."""

    overwritten: dict[str, Any]
    survivor_changes: Changes
    merged_changes: Changes


def business_field(name: str) -> "models.Field[Any, Any]":
    # Every name a merge chooses between is a concrete column of Business.
    return cast("models.Field[Any, Any]", Business._meta.get_field(name))


def _stored(business: Business, field: str) -> Any:
    """A field's column value as JSON can hold it (foreign keys by id, decimals as text)."""
    value = getattr(business, business_field(field).attname)
    return str(value) if isinstance(value, Decimal) else value


def _restore(business: Business, field: str, value: Any) -> None:
    model_field = business_field(field)
    setattr(business, model_field.attname, model_field.to_python(value))


def _shown(business: Business, field: str) -> Any:
    """What the audit log shows for a field: the related record's name, not its id."""
    return (
        getattr(business, field) if business_field(field).is_relation else _stored(business, field)
    )


def fold(survivor: Business, merged: Business, taken: Sequence[str]) -> Fold:
    """Mark `merged` as merged into `survivor`, and give the survivor the merged record's
    value of each field in `taken`."""
    # The merged record gives up its NIB when the survivor takes it: a NIB then names
    # the live record only (an owner's sign-in, an import's match by NIB and name).
    merged_before = {"status": merged.status, "status_reason": merged.status_reason}
    merged_changes: Changes = {
        "status": (merged.status, Status.MERGED),
        "merged_into": (None, str(survivor)),
    }
    if "nib" in taken and merged.nib:
        merged_before["nib"] = merged.nib
        merged_changes["nib"] = (merged.nib, "")
        merged.nib = ""
    merged.status, merged.status_reason = Status.MERGED, ""
    merged.merged_into = survivor
    merged.version = F("version") + 1
    merged.save(
        update_fields=["status", "status_reason", "merged_into", "nib", "version", "updated_at"]
    )

    overwritten: dict[str, Any] = {MERGED_RECORD: merged_before}
    survivor_changes: Changes = {"merged_from": (None, str(merged))}
    for field in taken:
        old, new = _stored(survivor, field), _stored(merged, field)
        if field == "nib":
            new = merged_before.get("nib", merged.nib)
        if old == new:
            continue
        overwritten[field] = old
        shown_old = _shown(survivor, field)
        _restore(survivor, field, new)
        survivor_changes[field] = (shown_old, _shown(survivor, field))
    survivor.version = F("version") + 1
    survivor.save()
    return Fold(overwritten, survivor_changes, merged_changes)


def unfold(
    survivor: Business, merged: Business, overwritten: Mapping[str, Any]
) -> tuple[Changes, Changes]:
    """Put back what `fold` overwrote on both records; returns the survivor's and the
    merged record's changes."""
    # The survivor gives the NIB back before the merged record takes it again.
    survivor_changes: Changes = {"merged_from": (str(merged), None)}
    for field, value in overwritten.items():
        if field == MERGED_RECORD:
            continue
        shown_old = _shown(survivor, field)
        _restore(survivor, field, value)
        survivor_changes[field] = (shown_old, _shown(survivor, field))
    survivor.version = F("version") + 1
    survivor.save()

    before = overwritten[MERGED_RECORD]
    merged_changes: Changes = {
        "status": (merged.status, before["status"]),
        "merged_into": (str(survivor), None),
    }
    if "nib" in before:
        merged_changes["nib"] = (merged.nib, before["nib"])
        merged.nib = before["nib"]
    merged.status, merged.status_reason = before["status"], before["status_reason"]
    merged.merged_into = None
    merged.version = F("version") + 1
    merged.save(
        update_fields=["status", "status_reason", "merged_into", "nib", "version", "updated_at"]
    )
    return survivor_changes, merged_changes


def move_related(related: Related, survivor: Business, merged: Business) -> dict[str, Any]:
    """Give the survivor the merged record's rows of every model in `related`; returns
    their ids by key, and under NOT_MOVED the ones a clash left behind."""
    moved: dict[str, Any] = {}
    not_moved: dict[str, list[int]] = {}
    for key, (model, unique) in related.items():
        rows = model._default_manager.filter(business=merged)
        if unique:
            taken = model._default_manager.filter(business=survivor).values_list(*unique)
            clash = Q(pk__in=[])
            for values in taken:
                clash |= Q(**dict(zip(unique, values, strict=True)))
            kept = list(rows.filter(clash).values_list("pk", flat=True))
            if kept:
                not_moved[key] = kept
            rows = rows.exclude(pk__in=kept)
        ids = list(rows.values_list("pk", flat=True))
        model._default_manager.filter(pk__in=ids).update(business=survivor)
        moved[key] = ids
    moved[NOT_MOVED] = not_moved
    return moved


def move_back(
    related: Related, moved: Mapping[str, Any], survivor: Business, merged: Business
) -> None:
    """Give the merged record back the rows `move_related` moved to the survivor (those
    still there)."""
    for key, (model, _unique) in related.items():
        model._default_manager.filter(pk__in=moved.get(key, []), business=survivor).update(
            business=merged
        )
