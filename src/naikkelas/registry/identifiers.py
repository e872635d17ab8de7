"""Indonesian identifiers: NIK, NIB, KBLI, phone numbers.

Each `clean_*` returns the normalised value or raises ValidationError with a translated
message and a stable code; importers, forms, serializers and services all use these.

Digits are ASCII digits. `str.isdigit()` and `\\d` also take other scripts' digits
(Arabic-Indic, fullwidth, ...): such a NIK would be a second spelling of one person's,
with its own blind index, hence a second owner. They are refused rather than converted:
every identifier then has one spelling, so every lookup (blind index, NIB login, search)
finds it without converting its input first.
"""

import datetime
import re
from collections.abc import Collection

from django.utils.translation import gettext_lazy as _

from naikkelas.core.rules import Pattern, Rule
from naikkelas.registry.kbli import sector_of

_DIGITS = re.compile(r"[0-9]+")


def _digits(n: int) -> str:
    """n ASCII digits, with spaces between them and blanks around, as a person types."""
    return rf"\s*(?:[0-9] *){{{n}}}\s*"


NIK_FORMAT = Pattern("nik_format", _("NIK must be exactly 16 digits."), pattern=_digits(16))
NIK_REGION = Rule("nik_region", _("NIK does not start with a real kecamatan code."))
NIK_DATE = Rule("nik_date", _("NIK holds a birth date that does not exist."))
NIK_SERIAL = Rule("nik_serial", _("NIK serial number cannot be 0000."))
NIK = (NIK_FORMAT, NIK_REGION, NIK_DATE, NIK_SERIAL)
NIB_FORMAT = Pattern("nib_format", _("NIB must be exactly 13 digits."), pattern=_digits(13))
NIB = (NIB_FORMAT,)
KBLI_FORMAT = Pattern(
    "kbli_format", _("KBLI code must be exactly 5 digits."), pattern=r"\s*[0-9]{5}\s*"
)
# The message names the code typed: `%(code)s` as it stands in the served message.
KBLI_UNKNOWN = Rule("kbli_unknown", _("KBLI code %(code)s has no KBLI 2020 sector."))
KBLI = (KBLI_FORMAT, KBLI_UNKNOWN)
# A phone number's separators and prefixes are read too freely for one pattern: the
# server alone decides, with these codes.
PHONE_DIGITS = Rule("phone_format", _("Write the phone number with the digits 0 to 9."))
PHONE_COUNTRY = Rule("phone_country", _("Only Indonesian (+62) phone numbers are accepted."))
PHONE_PREFIX = Rule("phone_format", _("Phone number must start with 08, 628 or +62."))
PHONE_LENGTH = Rule("phone_length", _("Phone number has the wrong number of digits."))
PHONE = (PHONE_DIGITS, PHONE_COUNTRY, PHONE_PREFIX, PHONE_LENGTH)


def is_digits(value: str) -> bool:
    """Only 0-9, at least one: for identifiers and for numbers read from a file."""
    return value.isascii() and value.isdigit()


def clean_nik(value: str, *, districts: Collection[str] | None = None) -> str:
    """`districts`, the set of kecamatan codes, saves a query per NIK in bulk checks."""
    nik = NIK_FORMAT.check(value).strip().replace(" ", "")
    kecamatan = f"{nik[0:2]}.{nik[2:4]}.{nik[4:6]}"
    if districts is None:
        from naikkelas.regions.models import Level, Region

        known = Region.objects.filter(code=kecamatan, level=Level.DISTRICT).exists()
    else:
        known = kecamatan in districts
    if not known:
        raise NIK_REGION.refuse()
    day, month, year = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    if day > 40:  # women's birth day is recorded plus 40
        day -= 40
    # The two-digit year is either century; the date must exist in at least one.
    if not (_date_exists(1900 + year, month, day) or _date_exists(2000 + year, month, day)):
        raise NIK_DATE.refuse()
    if nik[12:] == "0000":
        raise NIK_SERIAL.refuse()
    return nik


def _date_exists(year: int, month: int, day: int) -> bool:
    try:
        datetime.date(year, month, day)
    except ValueError:
        return False
    return True


def clean_nib(value: str) -> str:
    return NIB_FORMAT.check(value).strip().replace(" ", "")


def clean_kbli(value: str) -> str:
    kbli = KBLI_FORMAT.check(value).strip()
    if sector_of(kbli) is None:
        raise KBLI_UNKNOWN.refuse(code=kbli)
    return kbli


def clean_phone(value: str) -> str:
    """08…, 628…, +62 8…, with spaces, dots or dashes -> E.164 (+62…)."""
    raw = value.strip()
    # Separators (spaces, dots, dashes, brackets) are dropped; other scripts' digits
    # would be dropped with them, leaving a different number.
    if any(c.isdigit() and not c.isascii() for c in raw):
        raise PHONE_DIGITS.refuse()
    digits = "".join(_DIGITS.findall(raw))
    if raw.startswith("+") and not digits.startswith("62"):
        raise PHONE_COUNTRY.refuse()
    if digits.startswith("62"):
        national = digits[2:]
    elif digits.startswith("0"):
        national = digits[1:]
    else:
        raise PHONE_PREFIX.refuse()
    if not (8 <= len(national) <= 12) or national.startswith("0"):
        raise PHONE_LENGTH.refuse()
    return "+62" + national
