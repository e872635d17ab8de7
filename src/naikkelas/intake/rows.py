"""One source row, checked and typed: the import contract's rejection rules.

A row is read into a dict keyed by SIDT column names (`intake.columns`), whatever its
format. Every problem is reported with the column and a stable code; a row with any
problem is rejected whole. An empty optional field is never an error.
"""

import datetime
import re
import zoneinfo
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from naikkelas.core import pii, rules
from naikkelas.intake.places import Places, name_key
from naikkelas.registry import identifiers
from naikkelas.registry.kbli import sector_of
from naikkelas.registry.models import Education, Gender, LegalForm, SizeClass

_WHOLE = re.compile(r"^-?[0-9]+(?:\.0+)?$")  # ASCII digits, as identifiers.is_digits
# Looked up once: timezone.make_aware would ask for it per value.
LOCAL = zoneinfo.ZoneInfo(settings.TIME_ZONE)

GENDERS = {
    "L": Gender.MALE,
    "LAKILAKI": Gender.MALE,
    "P": Gender.FEMALE,
    "PEREMPUAN": Gender.FEMALE,
}
YES_NO = {
    "1": True,
    "Y": True,
    "YA": True,
    "TRUE": True,
    "0": False,
    "N": False,
    "TIDAK": False,
    "T": False,
    "FALSE": False,
}
EDUCATION = {
    "TIDAKSEKOLAH": Education.NONE, "TIDAKTAMATSD": Education.NONE, "BELUMSEKOLAH": Education.NONE,
    "SD": Education.SD, "SMP": Education.SMP, "SLTP": Education.SMP, "SMA": Education.SMA,
    "SMK": Education.SMA, "SMASMK": Education.SMA, "SLTA": Education.SMA,
    "DIPLOMA": Education.DIPLOMA, "D1": Education.DIPLOMA, "D2": Education.DIPLOMA,
    "D3": Education.DIPLOMA, "D4": Education.DIPLOMA, "S1": Education.S1, "S2": Education.S2,
    "S3": Education.S3,
}  # fmt: skip
LEGAL_FORMS = {
    "PERORANGAN": LegalForm.INDIVIDUAL, "PTPERORANGAN": LegalForm.PT_PERORANGAN,
    "CV": LegalForm.CV, "PT": LegalForm.PT, "FIRMA": LegalForm.FIRMA,
    "KOPERASI": LegalForm.COOPERATIVE, "YAYASAN": LegalForm.FOUNDATION,
    "LAINNYA": LegalForm.OTHER,
}  # fmt: skip
SIZES = {
    "MIKRO": SizeClass.MICRO,
    "KECIL": SizeClass.SMALL,
    "MENENGAH": SizeClass.MEDIUM,
    "BESAR": SizeClass.LARGE,
}
WORKFORCE = {
    "tk_dibayar_laki": "paid_male", "tk_dibayar_perempuan": "paid_female",
    "tk_dibayar_disabil_laki": "paid_disabled_male",
    "tk_dibayar_disabil_perempuan": "paid_disabled_female",
    "tk_not_dibayar_laki": "unpaid_male", "tk_not_dibayar_perempuan": "unpaid_female",
    "tk_not_dibayar_disabil_laki": "unpaid_disabled_male",
    "tk_not_dibayar_disabil_perempua": "unpaid_disabled_female",
}  # fmt: skip
TEXT = {
    "nama_usaha": ("name", 200), "kegiatan_utama": ("main_activity", 255),
    "produk_utama": ("main_product", 255), "alamat_usaha": ("street", 255),
    "foto_usaha": ("photo_url", 500),
}  # fmt: skip

# Province, kabupaten/kota, kecamatan, kelurahan: the levels of a region code, in order.
PLACE_COLUMNS = ("prov_usaha", "kab_usaha", "kec_usaha", "kel_usaha")
OWNER_PLACE_COLUMNS = ("prov_pengusaha", "kab_pengusaha", "kec_pengusaha", "kel_pengusaha")


# A string annotation: `take`'s is evaluated at every row, and Callable[...] builds an
# object each time.
Parser = Callable[[str], Any]


class Reject(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message


@dataclass
class Row:
    """A checked row: Business and Owner field values, personal data, figures."""

    number: int
    source_id: str = ""
    business: dict[str, Any] = field(default_factory=dict)
    owner: dict[str, Any] = field(default_factory=dict)
    nik: str = ""
    nik_index: str = ""  # its blind index
    phone: str = ""
    year: int | None = None
    sales: int | None = None
    assets: int | None = None
    capital: int | None = None
    updated_at: datetime.datetime | None = None
    errors: list[tuple[str, str, str]] = field(default_factory=list)


def _amount(value: str) -> int:
    if identifiers.is_digits(value):  # the common case, without the regex and Decimal
        amount = int(value)
    elif _WHOLE.match(value):
        amount = int(Decimal(value))
    else:
        raise Reject("amount_not_number", _("Amounts must be whole rupiah, digits only."))
    try:
        return rules.amount(amount)
    except ValidationError as e:
        raise _rejected(e) from None


def _count(value: str) -> int:
    if identifiers.is_digits(value):
        return int(value)
    if not _WHOLE.match(value):
        raise _rejected(rules.COUNT.refuse())
    return _checked(rules.COUNT, int(Decimal(value)))


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value[:10])
    except ValueError:
        pass
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
        try:
            return datetime.datetime.strptime(value[:10], pattern).date()
        except ValueError:
            continue
    raise Reject("date_invalid", _("Enter a date as YYYY-MM-DD."))


def _moment(value: str) -> datetime.datetime:
    """A source timestamp; without a zone it is the deployment's local time."""
    try:
        moment = datetime.datetime.fromisoformat(value.replace("/", "-"))
    except ValueError:
        moment = datetime.datetime.combine(_date(value), datetime.time())
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=LOCAL)
    return moment


def _choice(table: Mapping[str, Any]) -> Callable[[str], Any]:
    def parse(value: str) -> Any:
        found = table.get(name_key(value))
        if found is None:
            raise Reject("choice_invalid", _("This value is not one of the accepted choices."))
        return found

    return parse


def _coordinate(rule: rules.Range) -> Callable[[str], Decimal]:
    def parse(value: str) -> Decimal:
        try:
            number = Decimal(value.replace(",", "."))
        except InvalidOperation:
            raise Reject(rule.code, _("Enter a number.")) from None
        if not number.is_finite():
            raise _rejected(rule.refuse())
        return _checked(rule, number).quantize(Decimal("0.000001"))

    return parse


def _rejected(e: ValidationError) -> Reject:
    # A ValidationError lists itself (error_list = [self]): a cycle that would keep its
    # traceback, and through it every frame up to the batch being checked, until the
    # cycle collector runs, which it does not while a file is checked
    # (checking.collector_paused).
    e.__traceback__ = None
    return Reject(e.code or "invalid", " ".join(e.messages))


def _checked(rule: rules.Range, value: Any) -> Any:
    try:
        return rule.check(value)
    except ValidationError as e:
        raise _rejected(e) from None


def _identifier(cleaner: Callable[[str], str]) -> Callable[[str], str]:
    def parse(value: str) -> str:
        try:
            return cleaner(value)
        except ValidationError as e:
            raise _rejected(e) from None

    return parse


def _ranged(rule: rules.Range) -> Callable[[str], int]:
    def parse(value: str) -> int:
        return _checked(rule, _count(value))

    return parse


def _first_outside(code: str | None, resolved: int, home: str) -> int | None:
    """The index of the first of `resolved` levels of `code` that is neither the home
    region, one of its parents, nor inside it; None when every resolved level is."""
    if code is None:
        return None
    parts = code.split(".")
    for level in range(resolved):
        prefix = ".".join(parts[: level + 1])
        if not (prefix == home or home.startswith(prefix + ".") or prefix.startswith(home + ".")):
            return level
    return None


# The parsers of the coded columns, made once rather than for every row.
PHONE = _identifier(identifiers.clean_phone)
NIB = _identifier(identifiers.clean_nib)
KBLI = _identifier(identifiers.clean_kbli)
GENDER = _choice(GENDERS)
YES_OR_NO = _choice(YES_NO)
EDUCATION_LEVEL = _choice(EDUCATION)
LEGAL_FORM = _choice(LEGAL_FORMS)
SIZE = _choice(SIZES)
RT, RW = _ranged(rules.RT), _ranged(rules.RW)
MONTH, YEAR = _ranged(rules.MONTH), _ranged(rules.YEAR)
LATITUDE = _coordinate(rules.LATITUDE)
LONGITUDE = _coordinate(rules.LONGITUDE)


class RowReader:
    """Checks rows against the reference data, loaded once for the whole file."""

    def __init__(self, places: Places, districts: Collection[str]) -> None:
        self.places = places
        self.home = settings.NAIKKELAS_REGION
        self.today = timezone.localdate()
        self.parse_nik = _identifier(lambda v: identifiers.clean_nik(v, districts=districts))

    def read(self, number: int, raw: Mapping[str, str]) -> Row:
        row = Row(number=number)

        def take(column: str, parse: "Parser") -> Any:
            value = (raw.get(column) or "").strip()
            if not value:
                return None
            try:
                return parse(value)
            except Reject as e:
                row.errors.append((column, e.code, e.message))
                return None

        text = self._text
        row.source_id = text(row, raw, "id_data_badan_usaha", 64)
        business, owner = row.business, row.owner
        for column, (name, length) in TEXT.items():
            business[name] = text(row, raw, column, length)
        if not business["name"]:
            row.errors.append(("nama_usaha", "required", _("A business name is required.")))
        owner["name"] = text(row, raw, "nama_pengusaha", 150)
        owner["street"] = text(row, raw, "alamat_pengusaha", 255)
        row.nik = take("nik_pengusaha", self.parse_nik) or ""
        row.nik_index = pii.blind_index(row.nik)
        row.phone = take("kontak_hp", PHONE) or ""
        business["nib"] = take("nib", NIB) or ""
        business["kbli"] = take("kode_kbli", KBLI) or ""
        business["sector"] = sector_of(business["kbli"]) or ""
        owner["gender"] = take("jenis_kelamin", GENDER) or ""
        owner["has_disability"] = bool(take("is_disabilitas", YES_OR_NO))
        owner["birth_date"] = take("tanggal_lahir", _date)
        owner["education"] = take("pendidikan_formal", EDUCATION_LEVEL) or ""
        owner["rt"] = take("rt_pengusaha", RT)
        owner["rw"] = take("rw_pengusaha", RW)
        business["legal_form"] = take("status_badan_usaha", LEGAL_FORM) or ""
        business["reported_size_class"] = take("skala_usaha", SIZE) or ""
        business["founding_capital"] = row.capital = take("modal_pendirian", _amount)
        business["start_month"] = take("bulan_mulai_operasi", MONTH)
        business["start_year"] = take("tahun_mulai_operasi", YEAR)
        row.sales = take("omzet_tahunan", _amount)
        row.assets = take("asset", _amount)
        business["rt"] = take("rt_usaha", RT)
        business["rw"] = take("rw_usaha", RW)
        business["latitude"] = take("alamat_latitude", LATITUDE)
        business["longitude"] = take("alamat_longitude", LONGITUDE)
        for column, name in WORKFORCE.items():
            business[name] = take(column, _count) or 0
        business["source_pulled_at"] = take("pulled_at", _moment)
        row.updated_at = take("updated_at", _moment)
        business["source_updated_at"] = row.updated_at
        business["source_page"] = text(row, raw, "source_page", 32)
        self._business_place(row, raw)
        owner["kelurahan_id"] = self._owner_place(raw)
        self._figures_year(row, business["source_pulled_at"])
        return row

    @staticmethod
    def _text(row: Row, raw: Mapping[str, str], column: str, length: int) -> str:
        """A text cell, trimmed to the column's length. A NUL character is refused: a
        spreadsheet does not write one, and the database cannot store it."""
        value = (raw.get(column) or "").strip()[:length]
        if "\x00" in value:
            row.errors.append(
                (column, "text_control_character",
                 _("This cell holds a control character (NUL) that is not text."))
            )  # fmt: skip
            return ""
        return value

    def _business_place(self, row: Row, raw: Mapping[str, str]) -> None:
        """The business's kelurahan, or an error on the most specific column that is
        wrong: the first level that lies outside the home region (a province, a
        kabupaten, or a kecamatan and kelurahan of another regency all resolve, so the
        deepest resolved level is not the wrong one), else the first level that names no
        region under the one above it."""
        columns = PLACE_COLUMNS
        names = [(raw.get(c) or "").strip() for c in columns]
        if not names[2] or not names[3]:
            column = columns[2] if not names[2] else columns[3]
            row.errors.append((column, "required", _("The kecamatan and kelurahan are required.")))
            return
        if not names[0] and not names[1]:
            # A row that leaves province and city empty is read as the home city's.
            names = [*self.places.lineage(self.home), names[2], names[3]]
        code, resolved = self.places.find(names)
        outside = _first_outside(code, resolved, self.home)
        if outside is not None:
            # A real place, but neither the home region nor one of its parts.
            row.errors.append(
                (columns[outside], "region_outside",
                 _("This region is outside %(home)s, the area this system serves.")
                 % {"home": self.places.name(self.home)})
            )  # fmt: skip
        elif resolved == len(columns):
            row.business["kelurahan_id"] = code
        elif not names[resolved]:
            # Only province or only kabupaten/kota left empty: a blank between named
            # levels, which "the home city" cannot fill.
            row.errors.append(
                (columns[resolved], "region_unknown",
                 _("This region is empty while the one below it is given: fill it in, or "
                   "leave both the province and the kabupaten/kota empty."))
            )  # fmt: skip
        else:
            row.errors.append(
                (columns[resolved], "region_unknown",
                 _("“%(name)s” is not a known region name here.") % {"name": names[resolved]})
            )  # fmt: skip

    def _owner_place(self, raw: Mapping[str, str]) -> str | None:
        # The owner's home may lie anywhere in Indonesia; a name that cannot be resolved
        # leaves it empty rather than rejecting the business.
        columns = OWNER_PLACE_COLUMNS
        code, resolved = self.places.find([(raw.get(c) or "").strip() for c in columns])
        return code if resolved == 4 else None

    def _figures_year(self, row: Row, pulled_at: datetime.datetime | None) -> None:
        """Reported sales and assets are the figures of the year the record was made."""
        moment = row.updated_at or pulled_at
        if moment is None:
            if row.sales is not None or row.assets is not None:
                row.errors.append(
                    ("updated_at", "required", _("Give the date of the data with its figures."))
                )
            return
        if moment.date() > self.today:
            row.errors.append(("updated_at", "date_future", _("This date is in the future.")))
            return
        row.year = moment.astimezone(LOCAL).year
        start = row.business.get("start_year")
        if start is not None and row.year < start and row.sales is not None:
            row.errors.append(
                ("tahun_mulai_operasi", "year_after_figures",
                 _("The business cannot start after the year of its figures (%(year)s).")
                 % {"year": row.year})
            )  # fmt: skip
