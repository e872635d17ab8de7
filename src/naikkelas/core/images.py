"""Uploaded images (business, product, visit and complaint photos): checked by content,
re-encoded, stripped.

A file is an image when Pillow can decode it, whatever its name or declared type. It is
then re-encoded as JPEG, which drops every piece of metadata (EXIF holds the phone's GPS
position and the owner's name), and scaled down twice: a page-sized copy and a small
thumbnail for the catalogue's lists on a phone.

A small file can hold a huge image (a 32 KB one-bit PNG of 12000 x 12000 decodes to
over half a gigabyte), so the pixel count is read from the header and checked against
NAIKKELAS_IMAGE_MAX_PIXELS before anything is decoded.
"""

import io
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from naikkelas.core.errors import DomainError

if TYPE_CHECKING:
    from naikkelas.core.models import Photo

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
    # Pillow writes `info["comment"]` (the source's JPEG COM segment or GIF comment) into
    # the new JPEG unasked; with no info and no `exif=`/`icc_profile=`/`xmp=` argument
    # the re-encoded file carries pixels only.
    copy.info.clear()
    out = io.BytesIO()
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
    max_pixels = settings.NAIKKELAS_IMAGE_MAX_PIXELS
    too_many_pixels = DomainError(
        _("The photo has more than %(mp)s megapixels.") % {"mp": round(max_pixels / 10**6, 1)},
        code="image_too_large",
        field="photo",
    )
    upload.seek(0)
    data = upload.read()
    try:
        # Image.open reads the header only: the size is known before any pixel is decoded.
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format not in FORMATS:
                raise not_an_image
            if probe.width * probe.height > max_pixels:
                raise too_many_pixels
            probe.verify()
        # verify() leaves the image unusable: open it again to decode the pixels.
        with Image.open(io.BytesIO(data)) as picture:
            picture.load()
            # Phones store the camera's orientation in EXIF; apply it before dropping EXIF.
            upright = ImageOps.exif_transpose(picture).convert("RGB")
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        # Pillow's own guard (Image.MAX_IMAGE_PIXELS) stays behind ours; its warning is
        # caught too, for where warnings are turned into errors.
        raise too_many_pixels from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise not_an_image from None
    return CleanImage(
        image=ContentFile(_jpeg(upright, LARGE), name="photo.jpg"),
        thumbnail=ContentFile(_jpeg(upright, THUMBNAIL), name="thumb.jpg"),
    )


def save_photo(photo: "Photo", upload: UploadedFile) -> None:
    """Clean the upload (clean_image) and save it and its thumbnail as `photo`'s files.

    `photo` is new and names what it shows: its files' folder holds that id.
    """
    clean = clean_image(upload)
    photo.image.save(clean.image.name or "photo.jpg", clean.image, save=False)
    photo.thumbnail.save(clean.thumbnail.name or "thumb.jpg", clean.thumbnail, save=False)
    photo.save()
