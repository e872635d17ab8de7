import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from conftest import NIK_WOMAN
from naikkelas.catalog import services
from naikkelas.registry import services as registry
from naikkelas.registry.models import Business, Product

PRIVATE_PHONE = "081234567890"
PUBLIC_PHONE = "085711112222"


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def make_listed(admin: Any, make_business: Any) -> Any:
    """A verified business with the owner's NIK, private phone, street and sales, one
    priced product, listed with a public WhatsApp number."""

    def make(price: int = 15_000, product: str = "Keripik Tempe Original 250 g", **fields: Any):
        fields.setdefault("nik", NIK_WOMAN)
        fields.setdefault("phone", PRIVATE_PHONE)
        fields.setdefault("street", "Jl. Rahasia No. 7")
        business: Business = make_business(**fields)
        registry.save_financial_record(admin, business, {"year": 2024, "annual_sales": 987_654_321})
        registry.add_detail(admin, business, "product", {"name": product, "price": price})
        registry.submit_business(admin, business)
        business = registry.verify_business(admin, business)
        services.set_listing(
            admin, business, listed=True, contact_kind="whatsapp", contact=PUBLIC_PHONE
        )
        return business

    return make


def product_of(business: Business) -> Product:
    return business.products.get()


def image_upload(name: str = "foto.jpg", *, exif: bool = False, size: int = 64) -> Any:
    picture = Image.new("RGB", (size, size), (200, 120, 40))
    out = io.BytesIO()
    kwargs: dict[str, Any] = {}
    if exif:
        tags = Image.Exif()
        tags[0x010F] = "Secret Phone Maker"  # Make
        tags[0x8825] = {2: (7.0, 58.0, 0.0)}  # GPS latitude
        kwargs["exif"] = tags
    picture.save(out, "JPEG", **kwargs)
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")
