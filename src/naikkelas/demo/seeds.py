"""The seeds' figures the demo city is calibrated to, and what they come to for a city
of another size.

Of the city's 40,000 UMKM, 21,270 are curated; 227 curated micro businesses meet every
required readiness criterion and no other business does; 100 confirmed graduations (micro
in 2023, small in 2024, decided by the curator between January and August 2025), 46 of
whose businesses export. Another size gets the same in proportion (`targets`).
"""

import datetime
from typing import NamedTuple

DEFAULT_BUSINESSES = 40_000
DEFAULT_SEED = 2024
# The programme's own figure: 21,270 of the city's 40,000 UMKM are curated.
VERIFIED_SHARE = (21_270, 40_000)
# Of those, 19,000 were curated before the latest push; the rest recently.
EARLIER_VERIFIED_SHARE = 19_000 / 21_270
# The seeds' outcome figures for the city's 40,000 UMKM: 227 curated micro businesses
# "administratively ready" to move up, 100 that moved up by August 2025, 46 of them
# exporting. Scaled in proportion for another city size (`targets`).
CITY_SIZE = 40_000
READY_SHARE = 227
GRADUATED_SHARE = 100
EXPORTERS_SHARE = 46
# Not counted by the seeds, for realism: proposals awaiting a decision, and rejections.
PROPOSED_SHARE = 12
REJECTED_SHARE = 6
# The graduations the seeds report: micro on 2023's verified turnover, small on 2024's,
# confirmed once the 2024 books were closed and checked, by August 2025.
FROM_YEAR, TO_YEAR = 2023, 2024
DECIDED_FROM, DECIDED_TO = datetime.date(2025, 1, 6), datetime.date(2025, 8, 29)
# Graduates were curated before the cohort was picked in September 2024.
GRADUATE_VERIFIED = (datetime.date(2024, 2, 1), datetime.date(2024, 8, 31))


def verified_target(businesses: int) -> int:
    return round(businesses * VERIFIED_SHARE[0] / VERIFIED_SHARE[1])


class Targets(NamedTuple):
    """What a city of a given size must show: (ready, graduated, exporters)."""

    ready: int
    graduated: int
    exporters: int


def share(businesses: int, count: int) -> int:
    """A figure of the seeds' city, `count` of 40,000, for a city of `businesses`."""
    return round(businesses * count / CITY_SIZE)


def targets(businesses: int) -> Targets:
    """The seeds' 227 ready, 100 graduated and 46 exporting, in proportion to 40,000."""
    graduated = share(businesses, GRADUATED_SHARE)
    return Targets(
        share(businesses, READY_SHARE),
        graduated,
        min(share(businesses, EXPORTERS_SHARE), graduated),
    )
