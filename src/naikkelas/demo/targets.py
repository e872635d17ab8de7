"""The seeds' targets (the mayor's), scaled to the size of the demo city."""

import datetime

from naikkelas.accounts.models import User
from naikkelas.demo.seeds import CITY_SIZE
from naikkelas.monitoring import services
from naikkelas.monitoring.models import Indicator, Target

# The seeds: 100 graduates between September and December 2024; 4,000 (10% of the
# city's 40,000 businesses) in 2025; 30,000 curated records by the end of 2025.
SEED_TARGETS = [
    (Indicator.GRADUATED, datetime.date(2024, 9, 1), datetime.date(2024, 12, 1), 100),
    (Indicator.GRADUATED, datetime.date(2025, 1, 1), datetime.date(2025, 12, 1), 4_000),
    (Indicator.VERIFIED, datetime.date(2024, 1, 1), datetime.date(2025, 12, 1), 30_000),
]


def create_demo_targets(businesses: int = CITY_SIZE) -> list[Target]:
    """Replace the targets with the seeds', in proportion to a city of `businesses`, as
    the demo's administrator."""
    admin = User.objects.get(username="admin")
    for target in Target.objects.all():
        services.delete_target(admin, target)
    return [
        services.create_target(
            admin,
            {
                "indicator": indicator,
                "starts_on": starts_on,
                "ends_on": ends_on,
                "region": None,
                "value": round(value * businesses / CITY_SIZE),
                "note": "Target Wali Kota (seeds)",
            },
        )
        for indicator, starts_on, ends_on, value in SEED_TARGETS
    ]
