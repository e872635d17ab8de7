"""Data-quality findings of the class computation, for curators to follow up.

The class the owner reports is kept beside the computed one, never instead of it
(PP 7/2021); where they differ, or where no figure lets the class be computed at
all, someone has to look at the business again.
"""

from django.db.models import Count, F, Q, QuerySet, TextChoices
from django.utils.translation import gettext_lazy as _

from naikkelas.registry.models import Business


class Finding(TextChoices):
    CLASS_MISMATCH = "class_mismatch", _("Reported class differs from the computed class")
    CLASS_UNKNOWN = "class_unknown", _("No sales or capital figure: class unknown")


CONDITIONS: dict[str, Q] = {
    Finding.CLASS_MISMATCH: Q(standing__size_class__isnull=False)
    & ~Q(reported_size_class="")
    & ~Q(reported_size_class=F("standing__size_class")),
    Finding.CLASS_UNKNOWN: Q(standing__size_class__isnull=True),
}


def with_finding(businesses: QuerySet[Business], finding: str) -> QuerySet[Business]:
    return businesses.filter(CONDITIONS[finding])


def counts(businesses: QuerySet[Business]) -> dict[str, int]:
    """How many businesses have each finding, in one query."""
    totals = businesses.order_by().aggregate(
        **{code: Count("pk", filter=condition) for code, condition in CONDITIONS.items()}
    )
    return {code: totals[code] or 0 for code in CONDITIONS}
