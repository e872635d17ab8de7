import re
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import NIK_WOMAN, SUKUN_KELURAHAN
from naikkelas.catalog import services
from naikkelas.catalog.models import Listing
from naikkelas.catalog.tests.conftest import PRIVATE_PHONE, PUBLIC_PHONE, product_of
from naikkelas.core.errors import FieldErrors
from naikkelas.registry import services as registry
from naikkelas.registry.models import Sentra

NIK_PATTERN = re.compile(r"(?<!\d)\d{16}(?!\d)")
PHONE_PATTERN = re.compile(r"(?:\+?62|0)8[\d\s.-]{7,14}\d")


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def _assert_no_personal_data(html: str) -> None:
    assert not NIK_PATTERN.search(html)
    assert NIK_WOMAN not in html
    private = _digits(PRIVATE_PHONE)[1:]  # the national part, whatever the prefix
    public = _digits(PUBLIC_PHONE)[1:]
    for found in PHONE_PATTERN.findall(html):
        # The only number on a public page is the one the owner chose to publish.
        assert _digits(found).endswith(public), found
    assert private not in _digits(html)
    assert "Rahasia" not in html  # the street
    assert "987.654.321" not in html and "987654321" not in html  # the sales figure


def test_it_lists_priced_products_without_login_and_no_personal_data(
    client: Any, make_listed: Any
) -> None:
    business = make_listed()
    product = product_of(business)

    listing_page = client.get(reverse("catalogue"))
    product_page = client.get(reverse("catalogue_product", args=[product.pk]))

    assert listing_page.status_code == product_page.status_code == 200
    for page in (listing_page, product_page):
        html = page.content.decode()
        assert product.name in html
        assert "Rp15.000" in html
        _assert_no_personal_data(html)
    assert "https://wa.me/6285711112222" in product_page.content.decode()


def test_it_shows_only_verified_listed_priced_products(
    client: Any, admin: Any, make_listed: Any, make_business: Any
) -> None:
    shown = make_listed(product="Tempe Shown")
    unlisted = make_listed(product="Tempe Unlisted")
    services.set_listing(admin, unlisted, listed=False, contact_kind="none")
    draft = make_business()
    registry.add_detail(admin, draft, "product", {"name": "Tempe Draft", "price": 1000})
    unpriced = make_listed(product="Tempe Unpriced")
    unpriced.products.update(price=None)

    html = client.get(reverse("catalogue")).content.decode()

    assert "Tempe Shown" in html
    for name in ("Tempe Unlisted", "Tempe Draft", "Tempe Unpriced"):
        assert name not in html
    for business in (unlisted, draft, unpriced):
        url = reverse("catalogue_product", args=[product_of(business).pk])
        assert client.get(url).status_code == 404
    assert client.get(reverse("catalogue_product", args=[product_of(shown).pk])).status_code == 200


def test_it_filters_by_search_category_kecamatan_halal_export_price_and_sentra(
    client: Any, admin: Any, make_listed: Any
) -> None:
    sentra = Sentra.objects.create(
        name="Sentra Keripik Tempe", kelurahan_id=SUKUN_KELURAHAN, description=""
    )
    chips = make_listed(product="Keripik Halal", price=20_000, kbli="10792")
    registry.add_detail(admin, chips, "legality", {"kind": "halal", "number": "H-1"})
    rattan = make_listed(
        product="Kursi Rotan", price=750_000, kbli="31002", kelurahan=SUKUN_KELURAHAN,
        exports=True, sentra=sentra,
    )  # fmt: skip

    def names(**query: Any) -> set[str]:
        html = client.get(reverse("catalogue"), query).content.decode()
        return {n for n in ("Keripik Halal", "Kursi Rotan") if n in html}

    assert names() == {"Keripik Halal", "Kursi Rotan"}
    assert names(q="rotan") == {"Kursi Rotan"}
    assert names(category="makanan") == {"Keripik Halal"}
    assert names(category="kerajinan") == {"Kursi Rotan"}
    assert names(kecamatan="35.73.04") == {"Kursi Rotan"}
    assert names(halal="on") == {"Keripik Halal"}
    assert names(exports="on") == {"Kursi Rotan"}
    assert names(price_min=100_000) == {"Kursi Rotan"}
    assert names(price_max=100_000) == {"Keripik Halal"}
    assert names(sentra=sentra.pk) == {"Kursi Rotan"}
    sentra_page = client.get(reverse("sentra_detail", args=[sentra.pk])).content.decode()
    assert "Kursi Rotan" in sentra_page and "Keripik Halal" not in sentra_page
    assert rattan.pk


def test_it_lists_with_the_same_number_of_queries_however_many_products(
    client: Any, make_listed: Any
) -> None:
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("catalogue")).status_code == 200
        return len(queries)

    make_listed()
    few = count()
    for _ in range(6):
        make_listed()
    assert count() == few
    assert few <= 6


def test_it_stores_the_public_contact_encrypted(make_listed: Any) -> None:
    business = make_listed()
    stored = Listing.objects.values_list("contact_encrypted", flat=True).get(business=business)
    assert _digits(PUBLIC_PHONE)[1:] not in stored
    assert Listing.objects.get(business=business).contact == "+6285711112222"


def test_it_refuses_an_invalid_public_contact(admin: Any, make_listed: Any) -> None:
    business = make_listed()
    with pytest.raises(FieldErrors) as error:
        services.set_listing(admin, business, listed=True, contact_kind="phone", contact="12")
    assert "contact" in error.value.errors
