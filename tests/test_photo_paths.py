"""Every photo model keeps its files where the ones already stored are.

The four models share one upload path (core.models.photo_path, read through each
class's `folder` and `folder_key`); a file's name in the database is that path, so a
changed folder would leave the stored photos where no new row looks.
"""

import pytest
from django.db import models

from naikkelas.catalog.models import ProductPhoto
from naikkelas.core.models import Photo
from naikkelas.engagement.models import ComplaintPhoto, VisitPhoto
from naikkelas.registry.models import BusinessPhoto


@pytest.mark.parametrize(
    ("photo", "folder"),
    [
        (BusinessPhoto(business_id=12), "usaha/12"),
        (ProductPhoto(product_id=12), "katalog/12"),
        (VisitPhoto(visit_id=12), "kunjungan/12"),
        (ComplaintPhoto(complaint_id=12), "keluhan/12"),
    ],
    ids=["business", "product", "visit", "complaint"],
)
def test_a_photo_and_its_thumbnail_go_to_their_owner_s_folder(photo: Photo, folder: str) -> None:
    for name in ("image", "thumbnail"):
        field = photo._meta.get_field(name)
        assert isinstance(field, models.FileField)
        assert field.generate_filename(photo, "photo.jpg") == f"{folder}/photo.jpg"
