"""Identifiers take ASCII digits only: other scripts' digits would spell one person twice.

`str.isdigit()` and `\\d` accept Arabic-Indic, extended Arabic-Indic, Devanagari and
fullwidth digits; a NIK so written has its own blind index, and made a second owner.
"""

import pytest
from django.core.exceptions import ValidationError

from conftest import BALEARJOSARI, NIK_MAN, api_token
from naikkelas.intake.rows import Reject, _amount, _count
from naikkelas.registry import identifiers
from naikkelas.registry.models import Business, Owner

pytestmark = pytest.mark.django_db

# The same digits in other scripts: U+0660…, U+06F0…, U+0966…, U+FF10…
SCRIPTS = {"arabic-indic": 0x0660, "extended arabic-indic": 0x06F0, "devanagari": 0x0966,
           "fullwidth": 0xFF10}  # fmt: skip


def _spelled(number: str, zero: int, keep: int = 0) -> str:
    """`number` with its digits after the first `keep` written from the script at `zero`."""
    return number[:keep] + "".join(chr(zero + int(d)) for d in number[keep:])


@pytest.mark.parametrize("zero", SCRIPTS.values(), ids=SCRIPTS.keys())
@pytest.mark.parametrize("keep", [0, 6], ids=["all", "after the kecamatan"])
def test_it_refuses_a_nik_in_other_digits(zero: int, keep: int) -> None:
    nik = _spelled(NIK_MAN, zero, keep)
    assert nik.isdigit()  # what let it through
    with pytest.raises(ValidationError) as e:
        identifiers.clean_nik(nik)
    assert e.value.code == "nik_format"


@pytest.mark.parametrize("zero", SCRIPTS.values(), ids=SCRIPTS.keys())
def test_it_refuses_a_nib_and_a_kbli_in_other_digits(zero: int) -> None:
    with pytest.raises(ValidationError) as nib:
        identifiers.clean_nib(_spelled("1234567890123", zero, keep=3))
    with pytest.raises(ValidationError) as kbli:
        identifiers.clean_kbli(_spelled("16291", zero))
    assert (nib.value.code, kbli.value.code) == ("nib_format", "kbli_format")


@pytest.mark.parametrize("zero", SCRIPTS.values(), ids=SCRIPTS.keys())
@pytest.mark.parametrize("keep", [0, 4, 12], ids=["all", "after 0812", "one at the end"])
def test_it_refuses_a_phone_number_in_other_digits(zero: int, keep: int) -> None:
    phone = _spelled("0812345678901", zero, keep)
    with pytest.raises(ValidationError) as e:
        identifiers.clean_phone(phone)
    assert e.value.code == "phone_format"


def test_ascii_identifiers_still_pass() -> None:
    assert identifiers.clean_nik(NIK_MAN) == NIK_MAN
    assert identifiers.clean_nib("1234567890123") == "1234567890123"
    assert identifiers.clean_phone("0812-3456-7890") == "+6281234567890"
    assert identifiers.is_digits("0123456789")
    assert not identifiers.is_digits("") and not identifiers.is_digits("²")


@pytest.mark.parametrize("read", [_amount, _count])
def test_an_import_reads_numbers_in_ascii_digits_only(read) -> None:
    assert read("1500") == 1500
    for zero in SCRIPTS.values():
        with pytest.raises(Reject):
            read(_spelled("1500", zero))
        with pytest.raises(Reject):
            read(_spelled("1500", zero) + ".0")


def test_the_api_gives_one_person_one_owner_whatever_the_digits(api_client, volunteer) -> None:
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {api_token(volunteer)}")
    base = {"owner_name": "Slamet", "kelurahan": BALEARJOSARI}
    first = api_client.post(
        "/api/v1/businesses/", {**base, "name": "Rotan Mandiri", "nik": NIK_MAN}, format="json"
    )
    assert first.status_code == 201, first.content

    for zero in SCRIPTS.values():
        again = api_client.post(
            "/api/v1/businesses/",
            {**base, "name": "Rotan Mandiri 2", "nik": _spelled(NIK_MAN, zero, keep=6),
             "phone": _spelled("081211112222", zero, keep=4), "nib": _spelled("1234567890123", zero)},
            format="json",
        )  # fmt: skip
        assert again.status_code == 400, again.content
        assert {"nik", "phone", "nib"} <= set(again.json()["fields"])
    assert Owner.objects.count() == 1
    assert Business.objects.count() == 1
