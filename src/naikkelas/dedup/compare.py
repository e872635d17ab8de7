"""Two records side by side, field by field, for the curator's review."""

from dataclasses import dataclass
from typing import Any

from django.db.models import Count

from naikkelas.core.templatetags.naikkelas import rupiah
from naikkelas.dedup.services import MERGE_FIELDS, RELATED
from naikkelas.registry.merging import business_field
from naikkelas.registry.models import Business


@dataclass
class Row:
    field: str
    label: str
    a: str
    b: str
    differs: bool
    # Which record's value is ticked at first: the survivor's, unless only the other has one.
    default: str


def _shown(business: Business, field: str) -> str:
    if field == "founding_capital":
        return rupiah(business.founding_capital)
    value: Any = getattr(business, f"get_{field}_display", lambda: getattr(business, field))()
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "✓" if value else "—"
    return str(value)


def default_survivor(a: Business, b: Business) -> Business:
    """A verified record wins; between equals, the older one, which links already point to."""
    return min((a, b), key=lambda x: (x.status != "verified", x.created_at, x.pk))


def rows(a: Business, b: Business, survivor: Business) -> list[Row]:
    result = []
    for field in MERGE_FIELDS:
        shown_a, shown_b = _shown(a, field), _shown(b, field)
        raw_a, raw_b = (getattr(x, business_field(field).attname) for x in (a, b))
        kept = "a" if survivor == a else "b"
        if kept == "a" and shown_a == "" and shown_b != "":
            kept = "b"
        elif kept == "b" and shown_b == "" and shown_a != "":
            kept = "a"
        label = str(business_field(field).verbose_name)
        result.append(
            Row(field, label[:1].upper() + label[1:], shown_a, shown_b, raw_a != raw_b, kept)
        )
    return result


def related_counts(*businesses: Business) -> list[tuple[str, list[int]]]:
    """How many rows of each kind every record has: what a merge would move."""
    counts = {
        b.pk: b
        for b in Business.objects.filter(pk__in=[b.pk for b in businesses]).annotate(
            **{f"n_{key}": Count(key, distinct=True) for key in RELATED}
        )
    }
    return [
        (
            str(model._meta.verbose_name_plural),
            [getattr(counts[b.pk], f"n_{key}") for b in businesses],
        )
        for key, (model, _unique) in RELATED.items()
    ]
