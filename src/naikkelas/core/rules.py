"""Field rules shared by every way a value enters the registry (forms, services, the
import's row checks, the owner portal, the API).

A rule is data: a stable code, a message, and the simple check it makes (a range, a
pattern). Its `check` returns the value or raises ValidationError with that code, and
`served` gives the same data to a client (`GET /api/v1/rules/`), so a client that checks
before sending holds no second copy of a limit or a pattern. The code never changes
with the language; the message is translated.
"""

import datetime
import re
import time
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:  # a dev dependency, with the stubs
    from django_stubs_ext import StrOrPromise

# The languages a served message comes in: an offline client shows either.
LANGUAGES = ("id", "en")


@dataclass(frozen=True)
class Rule:
    """A refusal with a stable code that only the server can decide (it needs the
    database or more than one field); `check_data` is empty."""

    code: str
    message: "StrOrPromise"

    def params(self) -> dict[str, Any]:
        return {}

    def refuse(self, **params: Any) -> ValidationError:
        """The refusal; `params` fill what only the refused value can (a code typed)."""
        return ValidationError(
            self.message, code=self.code, params={**self.params(), **params} or None
        )

    def check_data(self) -> dict[str, Any]:
        """The check as data, for a client to run itself."""
        return {}

    def served(self) -> dict[str, Any]:
        params = self.params()
        message = {}
        for language in LANGUAGES:
            with translation.override(language):
                message[language] = str(self.message) % params if params else str(self.message)
        return {"code": self.code, "message": message, **self.check_data()}


Number = int | Decimal


@dataclass(frozen=True)
class Range(Rule):
    """A number from `min` to `max`, both included; a limit left None is open."""

    min: Number | None = None
    max: Number | None = None
    # Names the field in the message, where one message serves several fields.
    label: str = ""

    def limits(self) -> tuple[Number | None, Number | None]:
        return self.min, self.max

    def params(self) -> dict[str, Any]:
        low, high = self.limits()
        return {"min": low, "max": high, "label": self.label}

    def check(self, value: Any) -> Any:
        # Read straight from the fields: the import checks millions of values.
        if (self.min is not None and value < self.min) or (
            self.max is not None and value > self.max
        ):
            raise self.refuse()
        return value

    def check_data(self) -> dict[str, Any]:
        low, high = self.limits()
        return {k: _json_number(v) for k, v in (("min", low), ("max", high)) if v is not None}


def _json_number(value: Number) -> int | float:
    return value if isinstance(value, int) else float(value)


@dataclass(frozen=True)
class UpToThisYear(Range):
    """A year from `min` to the current year, which changes on 1 January."""

    def limits(self) -> tuple[Number | None, Number | None]:
        return self.min, this_year()

    def check(self, value: Any) -> Any:
        if (self.min is not None and value < self.min) or value > this_year():
            raise self.refuse()
        return value


# The current local year, and the Unix times it starts and ends at: converting the time
# to the local zone costs several times the rest of an import's year check.
_year_known = [0, 0.0, 0.0]


def this_year() -> int:
    now = time.time()
    if not _year_known[1] <= now < _year_known[2]:
        year = timezone.localdate().year
        zone = timezone.get_current_timezone()
        _year_known[:] = [
            year,
            *(datetime.datetime(y, 1, 1, tzinfo=zone).timestamp() for y in (year, year + 1)),
        ]
    return int(_year_known[0])


@dataclass(frozen=True)
class Pattern(Rule):
    """Text the whole of which matches `pattern`, a regular expression in the syntax
    Python and JavaScript share (served anchored, for a client's `RegExp`)."""

    pattern: str = ""

    @cached_property
    def _compiled(self) -> re.Pattern[str]:
        return re.compile(self.pattern)

    def check(self, value: str) -> str:
        if self._compiled.fullmatch(value) is None:
            raise self.refuse()
        return value

    def check_data(self) -> dict[str, Any]:
        return {"pattern": f"^(?:{self.pattern})$"}


@dataclass(frozen=True)
class DateRange(Rule):
    """A date from `first` to today."""

    first: datetime.date = datetime.date(1900, 1, 1)

    def check(self, value: datetime.date) -> datetime.date:
        if not self.first <= value <= timezone.localdate():
            raise self.refuse()
        return value

    def check_data(self) -> dict[str, Any]:
        return {"min": self.first.isoformat(), "max": timezone.localdate().isoformat()}


# Rupiah. A BIGINT column holds up to 2^63 - 1; anything near that is a typing slip, and a
# value past it would fail in the database instead of next to the field. Rp1,000 trillion
# is above the yearly sales of any Indonesian company.
MAX_AMOUNT = 10**15
FIRST_YEAR = 1900

AMOUNT_NEGATIVE = Range("amount_negative", _("Amounts cannot be negative."), min=0)
AMOUNT_TOO_LARGE = Range(
    "amount_too_large",
    _("This amount is too large: at most Rp1.000.000.000.000.000."),
    max=MAX_AMOUNT,
)
AMOUNT = (AMOUNT_NEGATIVE, AMOUNT_TOO_LARGE)
YEAR = UpToThisYear("year_range", _("Enter a year from %(min)s to %(max)s."), min=FIRST_YEAR)
MONTH = Range("month_range", _("Enter a month from 1 to 12."), min=1, max=12)
COUNT = Range("number_invalid", _("Enter a whole number of 0 or more."), min=0)
_RT_RW = _("%(label)s must be a number from 1 to 999.")
RT = Range("rt_rw_range", _RT_RW, min=1, max=999, label="RT")
RW = Range("rt_rw_range", _RT_RW, min=1, max=999, label="RW")
_BETWEEN = _("Must be between %(min)s and %(max)s.")
LATITUDE = Range("latitude_range", _BETWEEN, min=-90, max=90)
LONGITUDE = Range("longitude_range", _BETWEEN, min=-180, max=180)
BIRTH_DATE = DateRange("birth_date_range", _("Enter a real birth date."))
REQUIRED = Rule("required", _("This field is required."))
# A position's accuracy in metres, as a phone's Geolocation API reports it (the radius
# of the circle the true position lies in). Above 100 km it is no position at all.
MAX_ACCURACY = 100_000
ACCURACY = Range(
    "accuracy_range",
    _("Location accuracy must be from %(min)s to %(max)s metres."),
    min=0,
    max=MAX_ACCURACY,
)
# Where a position was taken, with how sure the phone was of it: the fields of a
# business's, a visit's and a complaint's position.
POSITION: dict[str, tuple[Rule, ...]] = {
    "latitude": (LATITUDE,), "longitude": (LONGITUDE,), "location_accuracy": (ACCURACY,),
}  # fmt: skip
# A curator is warned of a position less accurate than this, in metres.
ACCURATE_WITHIN = 100


def doubtful_accuracy(accuracy: float | None) -> bool:
    """Whether a curator should doubt a position of this accuracy: a radius wider than
    ACCURATE_WITHIN, or exactly 0, which no real GPS fix reports (a mock-location app
    or a typed-in value does). A position sent without its accuracy is not judged."""
    return accuracy is not None and (accuracy == 0 or accuracy > ACCURATE_WITHIN)


def amount(value: int) -> int:
    return AMOUNT_TOO_LARGE.check(AMOUNT_NEGATIVE.check(value))


def year(value: object) -> int:
    if not isinstance(value, int):
        raise YEAR.refuse()
    return YEAR.check(value)


def check_all(rules: Sequence[Any]) -> Callable[[Any], Any]:
    """One field's rules as one check, applied in order (the first refusal counts)."""

    def check(value: Any) -> Any:
        for rule in rules:
            value = rule.check(value)
        return value

    return check


def broken(
    values: Mapping[str, Any], rule_of: Mapping[str, Callable[[Any], object]]
) -> dict[str, list[ValidationError]]:
    """The refusals of the rules that `values` break, by field: every value given is
    checked by the rule of its field (the caller leaves out what may stay empty)."""
    errors: dict[str, list[ValidationError]] = {}
    for field, value in values.items():
        try:
            rule_of[field](value)
        except ValidationError as e:
            errors[field] = e.error_list
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
