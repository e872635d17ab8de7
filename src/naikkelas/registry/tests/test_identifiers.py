import pytest
from django.core.exceptions import ValidationError

from naikkelas.registry import identifiers
from naikkelas.registry.kbli import sector_of

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "nik",
    ["3573011201900001", "3573015203850002", "3573012902000003", "3573057112990004"],
)
def test_it_accepts_real_niks(nik: str) -> None:
    assert identifiers.clean_nik(nik) == nik


@pytest.mark.parametrize(
    ("nik", "code"),
    [
        ("357301120190001", "nik_format"),  # 15 digits
        ("35730112019000a1", "nik_format"),
        ("9973011201900001", "nik_region"),  # no province 99
        ("3573091201900001", "nik_region"),  # Kota Malang has no kecamatan 09
        ("3573013202900001", "nik_date"),  # 32nd day
        ("3573017202900001", "nik_date"),  # women's day 72 -> 32
        ("3573013002900001", "nik_date"),  # 30 February
        ("3573011213900001", "nik_date"),  # month 13
        ("3573011201900000", "nik_serial"),
    ],
)
def test_it_rejects_bad_niks(nik: str, code: str) -> None:
    with pytest.raises(ValidationError) as e:
        identifiers.clean_nik(nik)
    assert e.value.code == code


def test_it_accepts_leap_day_in_either_century() -> None:
    assert identifiers.clean_nik("3573012902000003")  # 29-02-2000
    with pytest.raises(ValidationError):
        identifiers.clean_nik("3573012902010003")  # 29-02-1901 and 2001: neither exists


@pytest.mark.parametrize(
    ("raw", "e164"),
    [
        ("081234567890", "+6281234567890"),
        ("0812-3456-7890", "+6281234567890"),
        ("6281234567890", "+6281234567890"),
        ("+62 812 3456 7890", "+6281234567890"),
        ("0341-551234", "+62341551234"),
    ],
)
def test_it_normalises_phone_numbers(raw: str, e164: str) -> None:
    assert identifiers.clean_phone(raw) == e164


@pytest.mark.parametrize("raw", ["12345", "+1 415 555 0100", "0812", "08123456789012345", "abc"])
def test_it_rejects_bad_phone_numbers(raw: str) -> None:
    with pytest.raises(ValidationError):
        identifiers.clean_phone(raw)


@pytest.mark.parametrize("nib", ["1234567890123", " 1234567890123 "])
def test_it_accepts_nib(nib: str) -> None:
    assert identifiers.clean_nib(nib) == "1234567890123"


@pytest.mark.parametrize("nib", ["123456789012", "12345678901234", "12345678901a3"])
def test_it_rejects_bad_nib(nib: str) -> None:
    with pytest.raises(ValidationError):
        identifiers.clean_nib(nib)


@pytest.mark.parametrize(
    ("kbli", "sector"),
    [
        ("01111", "A"),
        ("10792", "C"),
        ("33120", "C"),
        ("35101", "D"),
        ("47111", "G"),
        ("56101", "I"),
        ("68110", "L"),
        ("99000", "U"),
    ],
)
def test_it_derives_the_sector(kbli: str, sector: str) -> None:
    assert sector_of(kbli) == sector
    assert identifiers.clean_kbli(kbli) == kbli


@pytest.mark.parametrize("kbli", ["04000", "34000", "1079", "1079a", "00000"])
def test_it_rejects_kbli_without_sector(kbli: str) -> None:
    with pytest.raises(ValidationError):
        identifiers.clean_kbli(kbli)
