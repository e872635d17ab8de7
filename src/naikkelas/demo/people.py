"""The owners: names as Malang's are, a NIK that encodes kecamatan, birth date and
gender, a mobile number for most, and a home address (mostly where the business is)."""

import datetime
from dataclasses import dataclass

from naikkelas.demo.context import Context
from naikkelas.demo.plan import Spec
from naikkelas.demo.tables import EDUCATION_WEIGHTS, PHONE_PREFIXES
from naikkelas.regions.models import Region
from naikkelas.registry.models import Gender, Owner


@dataclass
class Person:
    owner: Owner
    first_name: str
    female: bool


def draw_person(ctx: Context, spec: Spec) -> Person:
    """A new owner for the business of `spec` (not saved)."""
    rng, fake = ctx.rng, ctx.fake
    female = rng.random() < spec.trade.female_share
    if female:
        first = fake.first_name_female()
        last = fake.last_name_female()
    else:
        first = fake.first_name_male()
        last = fake.last_name_male()
    shape = rng.random()
    name = first if shape < 0.15 else f"{first} {last}"
    age = int(rng.triangular(19, 72, 43))
    if age >= 50 and rng.random() < 0.12:
        # Hajj titles are part of how older owners are known and addressed.
        name = ("Hj. " if female else "H. ") + name
    birth = datetime.date(ctx.today.year - age, 1, 1) + datetime.timedelta(days=rng.randrange(365))
    # Most UMKM are home businesses: the owner lives where the business is.
    home = spec.village if rng.random() < 0.82 else rng.choice(ctx.villages)
    owner = Owner(
        name=name,
        gender=Gender.FEMALE if female else Gender.MALE,
        has_disability=rng.random() < 0.015,
        birth_date=birth,
        education=rng.choices(
            [e for e, _ in EDUCATION_WEIGHTS], weights=[w for _, w in EDUCATION_WEIGHTS]
        )[0],
        kelurahan=home,
        rt=rng.randint(1, 12),
        rw=rng.randint(1, 9),
    )
    owner.street = street(ctx, home)
    owner.set_nik(_nik(ctx, home, birth, female))
    if rng.random() < 0.92:
        owner.set_phone(_phone(ctx))
    return Person(owner, first, female)


def street(ctx: Context, village: Region) -> str:
    """An address on one of the kelurahan's streets."""
    rng = ctx.rng
    name = rng.choice(ctx.streets[village.code])
    if rng.random() < 0.3:
        name += f" Gg. {rng.randint(1, 12)}"
    return f"{name} No. {rng.randint(1, 180)}"


def _nik(ctx: Context, village: Region, birth: datetime.date, female: bool) -> str:
    district = (village.parent_id or village.code[:8]).replace(".", "")
    day = birth.day + 40 if female else birth.day
    while True:
        nik = f"{district}{day:02d}{birth.month:02d}{birth.year % 100:02d}"
        nik += f"{ctx.rng.randint(1, 9999):04d}"
        if nik not in ctx.used_nik:
            ctx.used_nik.add(nik)
            return nik


def _phone(ctx: Context) -> str:
    rng = ctx.rng
    while True:
        digits = rng.choice((7, 8, 8))
        phone = f"+62{rng.choice(PHONE_PREFIXES)}{rng.randrange(10**digits):0{digits}d}"
        if phone not in ctx.used_phone:
            ctx.used_phone.add(phone)
            return phone
