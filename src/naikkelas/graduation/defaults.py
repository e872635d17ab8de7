"""The shipped default policies: PP 7/2021 sizes and the seeds' readiness indicators."""

import datetime
from typing import Any

BILLION = 1_000_000_000
# PP 7/2021 took effect on 2 February 2021.
EFFECTIVE = datetime.date(2021, 2, 2)
# (code, weight, required): the seeds' indicators of "administratively ready".
DEFAULT_CRITERIA = [
    ("nib", 20, True),
    ("product_legality", 20, True),
    ("product_quality", 10, False),
    ("packaging", 10, False),
    ("branding", 10, False),
    ("digital_marketing", 10, True),
    ("distribution", 10, False),
    ("bookkeeping", 10, True),
]


def ensure_default_policies(size_model: Any, readiness_model: Any, criterion_model: Any) -> None:
    """Create the defaults when no policy exists; models are passed so a migration can
    hand in its historical ones."""
    if not size_model.objects.exists():
        size_model.objects.create(
            name="PP 7/2021 Pasal 35",
            effective_from=EFFECTIVE,
            micro_max_capital=1 * BILLION,
            small_max_capital=5 * BILLION,
            medium_max_capital=10 * BILLION,
            micro_max_sales=2 * BILLION,
            small_max_sales=15 * BILLION,
            medium_max_sales=50 * BILLION,
        )
    if not readiness_model.objects.exists():
        policy = readiness_model.objects.create(
            name="Kesiapan naik kelas (default)", effective_from=EFFECTIVE, pass_score=3
        )
        criterion_model.objects.bulk_create(
            criterion_model(policy=policy, code=code, weight=weight, required=required)
            for code, weight, required in DEFAULT_CRITERIA
        )
