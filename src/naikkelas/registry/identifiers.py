"""Indonesian identifiers: NIK, NIB, KBLI, phone numbers, RT/RW.

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

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from naikkelas.registry.kbli import sector_of

_DIGITS = re.compile(r"[0-9]+")


def is_digits(value: str) -> bool:
    """Only 0-9, at least one: for identifiers and for numbers read from a file."""
    return value.isascii() and value.isdigit()


def clean_nik(value: str, *, districts: Collection[str] | None = None) -> str:
    """`districts`, the set of kecamatan codes, saves a query per NIK in bulk checks."""
    nik = value.strip().replace(" ", "")
    if not (len(nik) == 16 and is_digits(nik)):
        raise ValidationError(_("NIK must be exactly 16 digits."), code="nik_format")
    kecamatan = f"{nik[0:2]}.{nik[2:4]}.{nik[4:6]}"
    if districts is None:
        from naikkelas.regions.models import Level, Region

        known = Region.objects.filter(code=kecamatan, level=Level.DISTRICT).exists()
    else:
        known = kecamatan in districts
    if not known:
        raise ValidationError(
            _("NIK does not start with a real kecamatan code."), code="nik_region"
        )
    day, month, year = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    if day > 40:  # women's birth day is recorded plus 40
        day -= 40
    # The two-digit year is either century; the date must exist in at least one.
    if not (_date_exists(1900 + year, month, day) or _date_exists(2000 + year, month, day)):
        raise ValidationError(_("NIK holds a birth date that does not exist."), code="nik_date")
    if nik[12:] == "0000":
        raise ValidationError(_("NIK serial number cannot be 0000."), code="nik_serial")
    return nik


def _date_exists(year: int, month: int, day: int) -> bool:
    try:
        datetime.date(year, month, day)
    except ValueError:
        return False
    return True


def clean_nib(value: str) -> str:
    nib = value.strip().replace(" ", "")
    if not (len(nib) == 13 and is_digits(nib)):
        raise ValidationError(_("NIB must be exactly 13 digits."), code="nib_format")
    return nib


def clean_kbli(value: str) -> str:
    kbli = value.strip()
    if not (len(kbli) == 5 and is_digits(kbli)):
        raise ValidationError(_("KBLI code must be exactly 5 digits."), code="kbli_format")
    if sector_of(kbli) is None:
        raise ValidationError(
            _("KBLI code %(code)s has no KBLI 2020 sector."),
            code="kbli_unknown",
            params={"code": kbli},
        )
    return kbli


def clean_phone(value: str) -> str:
    """08…, 628…, +62 8…, with spaces, dots or dashes -> E.164 (+62…)."""
    raw = value.strip()
    # Separators (spaces, dots, dashes, brackets) are dropped; other scripts' digits
    # would be dropped with them, leaving a different number.
    if any(c.isdigit() and not c.isascii() for c in raw):
        raise ValidationError(
            _("Write the phone number with the digits 0 to 9."), code="phone_format"
        )
    digits = "".join(_DIGITS.findall(raw))
    if raw.startswith("+") and not digits.startswith("62"):
        raise ValidationError(
            _("Only Indonesian (+62) phone numbers are accepted."), code="phone_country"
        )
    if digits.startswith("62"):
        national = digits[2:]
    elif digits.startswith("0"):
        national = digits[1:]
    else:
        raise ValidationError(
            _("Phone number must start with 08, 628 or +62."), code="phone_format"
        )
    if not (8 <= len(national) <= 12) or national.startswith("0"):
        raise ValidationError(
            _("Phone number has the wrong number of digits."), code="phone_length"
        )
    return "+62" + national


def clean_rt_rw(value: int, label: str) -> int:
    if not 1 <= value <= 999:
        raise ValidationError(
            _("%(label)s must be a number from 1 to 999."),
            code="rt_rw_range",
            params={"label": label},
        )
    return value
