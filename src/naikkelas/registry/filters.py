"""What a list of businesses is narrowed to: one meaning for the web list, the API and the
export job. The web form and the API parse their inputs into it; a job keeps its
`params()` and rebuilds it."""

from dataclasses import asdict, dataclass
from typing import Any

from django.db.models import Q, QuerySet

from naikkelas.regions.models import in_region
from naikkelas.registry.models import Business

# The criteria that are one field equal to the value given.
EXACT = {
    "kelurahan": "kelurahan_id",
    "status": "status",
    "sector": "sector",
    "reported_size_class": "reported_size_class",
    "size_class": "standing__size_class",
    "nib": "nib",
    "source_id": "source_id",
}


@dataclass(frozen=True)
class BusinessFilter:
    """Each criterion left blank (or None) does not narrow."""

    q: str = ""  # a business name contains it, or it is the NIB
    # A kecamatan (or any region) code; a trailing dot, as in 35.73.01., is the same code.
    kecamatan: str = ""
    kelurahan: str = ""
    status: str = ""
    sector: str = ""
    reported_size_class: str = ""
    size_class: str = ""  # the computed class
    ready: bool | None = None
    nib: str = ""
    source_id: str = ""

    def params(self) -> dict[str, Any]:
        """The criteria that narrow, as JSON values: `BusinessFilter(**params)` is this
        filter again."""
        return {name: value for name, value in asdict(self).items() if value not in ("", None)}

    def apply(self, businesses: QuerySet[Business]) -> QuerySet[Business]:
        """Narrow businesses already scoped to the user (registry.access): a filter only
        ever takes away from what the scope allows."""
        criteria = Q()
        if self.q:
            criteria &= Q(name__icontains=self.q) | Q(nib=self.q)
        if kecamatan := self.kecamatan.rstrip("."):
            criteria &= in_region("kelurahan__code", kecamatan)
        for name, field in EXACT.items():
            if value := getattr(self, name):
                criteria &= Q(**{field: value})
        if self.ready is not None:
            criteria &= Q(standing__ready=self.ready)
        return businesses.filter(criteria)
