"""Field rules shared by every way a value enters the registry (forms, services, the
import's row checks, the owner portal, the API).

Each rule returns the clean value or raises ValidationError with a stable code, so a
refusal reads the same, and carries the same code, wherever the value was typed.
"""

import unicodedata
from collections.abc import Callable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Rupiah. A BIGINT column holds up to 2^63 - 1; anything near that is a typing slip, and a
# value past it would fail in the database instead of next to the field. Rp1,000 trillion
# is above the yearly sales of any Indonesian company.
MAX_AMOUNT = 10**15
FIRST_YEAR = 1900


def amount(value: int) -> int:
    if value < 0:
        raise ValidationError(_("Amounts cannot be negative."), code="amount_negative")
    if value > MAX_AMOUNT:
        raise ValidationError(
            _("This amount is too large: at most Rp1.000.000.000.000.000."),
            code="amount_too_large",
        )
    return value


def year(value: object) -> int:
    this_year = timezone.localdate().year
    if not (isinstance(value, int) and FIRST_YEAR <= value <= this_year):
        raise ValidationError(
            _("Enter a year from 1900 to %(year)s."), code="year_range", params={"year": this_year}
        )
    return value


def broken(
    values: Mapping[str, Any], rule_of: Mapping[str, Callable[[Any], object]]
) -> dict[str, list[str]]:
    """The messages of the rules that `values` break, by field: every value given is
    checked by the rule of its field (the caller leaves out what may stay empty)."""
    errors: dict[str, list[str]] = {}
    for field, value in values.items():
        try:
            rule_of[field](value)
        except ValidationError as e:
            errors[field] = e.messages
    return errors


# Unicode categories that print nothing: format characters (zero-width space and joiner,
# bidi marks), controls, and unassigned or private code points.
_INVISIBLE = {"Cf", "Cc", "Cn", "Co", "Cs"}


def visible_text(value: str) -> str:
    """`value` without invisible characters and with runs of blanks made one space.

    A name made only of zero-width characters looks empty on every page and list; it
    must count as empty, so that "required" means something a person can read.
    """
    kept = "".join(c for c in value if unicodedata.category(c) not in _INVISIBLE)
    return " ".join(kept.split())
