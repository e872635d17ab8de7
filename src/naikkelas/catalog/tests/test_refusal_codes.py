"""A listing's refusals carry their codes: the contact kind's own, the phone rule's."""

from typing import Any

import pytest
from django.utils import translation

from naikkelas.catalog import services
from naikkelas.catalog.models import Listing
from naikkelas.core.errors import FieldErrors

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("kind", "contact", "field", "code", "message"),
    [
        ("telegram", "", "contact_kind", "invalid_choice", "Pilih cara pembeli menghubungi Anda."),
        ("phone", "12", "contact", "phone_format", "Nomor telepon harus diawali 08, 628, atau +62."),
        ("whatsapp", "0812", "contact", "phone_length", "Jumlah digit nomor telepon tidak sesuai."),
    ],
)  # fmt: skip
def test_a_listing_names_its_bad_field_with_the_rules_code(
    admin: Any, make_listed: Any, kind: str, contact: str, field: str, code: str, message: str
) -> None:
    business = make_listed()
    before = Listing.objects.values_list("contact_kind", "contact_encrypted").get(business=business)

    with translation.override("id"), pytest.raises(FieldErrors) as refused:
        services.set_listing(admin, business, listed=True, contact_kind=kind, contact=contact)

    assert {
        f: [(r.code, r.message) for r in found] for f, found in refused.value.details.items()
    } == {field: [(code, message)]}
    after = Listing.objects.values_list("contact_kind", "contact_encrypted").get(business=business)
    assert after == before
