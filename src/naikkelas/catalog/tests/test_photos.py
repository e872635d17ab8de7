import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from naikkelas.catalog import services
from naikkelas.catalog.models import ProductPhoto
from naikkelas.catalog.tests.conftest import image_upload, product_of
from naikkelas.core.errors import DomainError


def test_it_stores_a_photo_reencoded_without_metadata(admin: Any, make_listed: Any) -> None:
    product = product_of(make_listed())
    upload = image_upload(exif=True, size=2000)
    assert b"Secret Phone Maker" in upload.read()

    photo = services.add_product_photo(admin, product, upload)

    stored = photo.image.read()
    assert b"Secret Phone Maker" not in stored
    with Image.open(io.BytesIO(stored)) as picture:
        assert picture.format == "JPEG"
        assert not picture.getexif()
        assert max(picture.size) == 1600
    with Image.open(photo.thumbnail.path) as thumb:
        assert max(thumb.size) == 320


def test_it_refuses_a_file_that_is_not_an_image_whatever_its_name(
    admin: Any, make_listed: Any
) -> None:
    product = product_of(make_listed())
    fake = SimpleUploadedFile("foto.jpg", b"<?php echo 1; ?>", content_type="image/jpeg")
    with pytest.raises(DomainError) as error:
        services.add_product_photo(admin, product, fake)
    assert error.value.code == "not_an_image"
    assert not ProductPhoto.objects.exists()


def test_it_refuses_a_photo_over_the_configured_size(
    admin: Any, make_listed: Any, settings: Any
) -> None:
    settings.NAIKKELAS_UPLOAD_MAX_BYTES = 100
    with pytest.raises(DomainError) as error:
        services.add_product_photo(admin, product_of(make_listed()), image_upload())
    assert error.value.code == "upload_too_large"


def test_it_shows_the_thumbnail_in_the_public_list(
    client: Any, admin: Any, make_listed: Any
) -> None:
    business = make_listed()
    client.force_login(admin)
    url = reverse("catalog_photo_add", args=[business.pk, product_of(business).pk])
    assert client.post(url, {"photo": image_upload()}).status_code == 302
    client.logout()
    photo = ProductPhoto.objects.get()
    assert photo.thumbnail.url in client.get(reverse("catalogue")).content.decode()


def test_it_lets_an_owner_list_only_the_own_business(
    client: Any, owner_user: Any, make_listed: Any
) -> None:
    own, other = make_listed(), make_listed()
    own.owner_account = owner_user
    own.save(update_fields=["owner_account"])
    client.force_login(owner_user)
    data = {"listed": "on", "contact_kind": "phone", "contact": "0857 1111 3333"}
    assert client.post(reverse("catalog_listing_edit", args=[other.pk]), data).status_code == 404
    assert client.post(reverse("catalog_listing_edit", args=[own.pk]), data).status_code == 302
    own.listing.refresh_from_db()
    assert own.listing.contact_link == "tel:+6285711113333"
    other.listing.refresh_from_db()
    assert other.listing.contact_kind == "whatsapp"
