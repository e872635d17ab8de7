"""What every step of the city's build draws from: one `random.Random(seed)` and one
seeded Faker, the clock, the home region's kelurahan and the demo staff, and the
identifiers already given out (NIK, NIB and phone numbers are unique)."""

import datetime
import random
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone
from faker import Faker

from naikkelas.accounts.models import User
from naikkelas.core.errors import DomainError
from naikkelas.demo.accounts import volunteer_username
from naikkelas.demo.tables import STREETS
from naikkelas.regions.models import Region


@dataclass
class Context:
    businesses: int
    seed: int
    rng: random.Random
    fake: Faker
    now: datetime.datetime
    today: datetime.date
    region_digits: str
    villages: list[Region]
    curator: User | None
    volunteers: dict[str, User | None]
    # Each kelurahan's own streets, two named after it.
    streets: dict[str, list[str]]
    used_nik: set[str] = field(default_factory=set)
    used_nib: set[str] = field(default_factory=set)
    used_phone: set[str] = field(default_factory=set)

    @property
    def last_year(self) -> int:
        return self.today.year - 1


def open_context(businesses: int, seed: int) -> Context:
    """The context for a city of `businesses` from `seed`; the demo accounts exist."""
    rng = random.Random(seed)
    fake = Faker("id_ID")
    fake.seed_instance(seed)
    villages = list(Region.objects.home().kelurahan().order_by("code"))
    if not villages:
        raise DomainError(
            f"No kelurahan found under the home region {settings.NAIKKELAS_REGION}; "
            "load the regions first (naikkelas migrate).",
            code="no_regions",
        )
    users = User.objects.filter(
        username__in=["kurator", *(volunteer_username(v.code) for v in villages)]
    )
    by_name = {u.username: u for u in users}
    return Context(
        businesses=businesses,
        seed=seed,
        rng=rng,
        fake=fake,
        now=timezone.now(),
        today=timezone.localdate(),
        region_digits=settings.NAIKKELAS_REGION.replace(".", ""),
        villages=villages,
        curator=by_name.get("kurator"),
        volunteers={v.code: by_name.get(volunteer_username(v.code)) for v in villages},
        streets={
            v.code: [f"Jl. Raya {v.name}", f"Jl. {v.name}", *rng.sample(STREETS, 8)]
            for v in villages
        },
    )
