"""Uploaded images (product and visit photos): checked by content, re-encoded, stripped.

A file is an image when Pillow can decode it, whatever its name or declared type. It is
then re-encoded as JPEG, which drops every piece of metadata (EXIF holds the phone's GPS
position and the owner's name), and scaled down twice: a page-sized copy and a small
thumbnail for the catalogue's lists on a phone.
"""

import io
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from naikkelas.core.errors import DomainError

FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
LARGE = 1600
THUMBNAIL = 320


@dataclass(frozen=True)
class CleanImage:
    image: ContentFile[bytes]
    thumbnail: ContentFile[bytes]


def _jpeg(picture: Image.Image, longest: int) -> bytes:
    copy = picture.copy()
    copy.thumbnail((longest, longest))
    out = io.BytesIO()
    # No `exif=` argument: the re-encoded file carries pixels only.
    copy.save(out, "JPEG", quality=82, optimize=True)
    return out.getvalue()


def clean_image(upload: UploadedFile) -> CleanImage:
    """The upload as a metadata-free JPEG and its thumbnail, or a DomainError."""
    limit = settings.NAIKKELAS_UPLOAD_MAX_BYTES
    if upload.size is None or upload.size > limit:
        raise DomainError(
            _("The photo is larger than %(mb)s MB.") % {"mb": round(limit / 1024**2, 1)},
            code="upload_too_large",
            field="photo",
        )
    not_an_image = DomainError(
        _("This file is not a photo (JPEG, PNG, WebP or GIF)."), code="not_an_image", field="photo"
    )
    upload.seek(0)
    data = upload.read()
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format not in FORMATS:
                raise not_an_image
            probe.verify()
        # verify() leaves the image unusable: open it again to decode the pixels.
        with Image.open(io.BytesIO(data)) as picture:
            picture.load()
            # Phones store the camera's orientation in EXIF; apply it before dropping EXIF.
            upright = ImageOps.exif_transpose(picture).convert("RGB")
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise not_an_image from None
    return CleanImage(
        image=ContentFile(_jpeg(upright, LARGE), name="photo.jpg"),
        thumbnail=ContentFile(_jpeg(upright, THUMBNAIL), name="thumb.jpg"),
    )
