"""Product photos that are dangerous for what they hold, not for their file size."""

import io
import sys
from pathlib import Path
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from conftest import NIK_WOMAN
from naikkelas.catalog import services
from naikkelas.catalog.models import ProductPhoto
from naikkelas.catalog.tests.conftest import image_upload, product_of
from naikkelas.core.errors import DomainError

MB = 1024**2


def _png_bomb() -> SimpleUploadedFile:
    """12000 x 12000 one-bit pixels: a file of a few KB that decodes to over 500 MB as RGB."""
    out = io.BytesIO()
    Image.new("1", (12000, 12000)).save(out, "PNG")
    assert out.tell() < 64 * 1024
    return SimpleUploadedFile("foto.png", out.getvalue(), content_type="image/png")


def _reset_peak_memory() -> None:
    # Writing 5 to clear_refs resets the process's peak resident size (VmHWM). Pillow
    # allocates pixels with its own malloc calls, which tracemalloc does not see.
    Path("/proc/self/clear_refs").write_text("5")


def _peak_memory() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    raise AssertionError("no VmHWM in /proc/self/status")


def _files_under(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self")
# In production Pillow's own check only warns at this size: ours must refuse it.
@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_it_refuses_a_small_file_of_too_many_pixels_without_decoding_it(
    client: Any, admin: Any, make_listed: Any, settings: Any
) -> None:
    business = make_listed()
    url = reverse("catalog_photo_add", args=[business.pk, product_of(business).pk])
    bomb = _png_bomb()
    client.force_login(admin)

    _reset_peak_memory()
    before = _peak_memory()
    response = client.post(url, {"photo": bomb})
    grown = _peak_memory() - before

    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Foto lebih dari 40.0 megapiksel."
    ]
    assert not ProductPhoto.objects.exists()
    assert _files_under(Path(settings.MEDIA_ROOT)) == []
    # Decoding would take 144 MB for the one-bit pixels and 576 MB once converted to RGB.
    assert grown < 64 * MB, f"peak memory grew by {grown / MB:.0f} MB"


def test_it_refuses_an_image_over_the_configured_pixel_limit(
    admin: Any, make_listed: Any, settings: Any
) -> None:
    settings.NAIKKELAS_IMAGE_MAX_PIXELS = 64 * 64 - 1
    with pytest.raises(DomainError) as error:
        services.add_product_photo(admin, product_of(make_listed()), image_upload(size=64))
    assert (error.value.code, error.value.field) == ("image_too_large", "photo")
    assert not ProductPhoto.objects.exists()

    settings.NAIKKELAS_IMAGE_MAX_PIXELS = 64 * 64
    services.add_product_photo(admin, product_of(make_listed()), image_upload(size=64))
    assert ProductPhoto.objects.count() == 1


def test_it_keeps_pillows_own_decompression_bomb_guard(
    admin: Any, make_listed: Any, settings: Any, monkeypatch: Any
) -> None:
    settings.NAIKKELAS_IMAGE_MAX_PIXELS = 10**9
    # Pillow raises (not only warns) above twice its limit.
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)
    with pytest.raises(DomainError) as error:
        services.add_product_photo(admin, product_of(make_listed()), image_upload(size=64))
    assert error.value.code == "image_too_large"
    assert not ProductPhoto.objects.exists()


def _segments(jpeg: bytes) -> list[int]:
    """The markers of a JPEG's header segments, up to the start of the pixel data."""
    assert jpeg[:2] == b"\xff\xd8"
    markers, at = [], 2
    while jpeg[at] == 0xFF:
        marker = jpeg[at + 1]
        markers.append(marker)
        if marker == 0xDA:  # start of scan: entropy-coded pixels follow
            break
        at += 2 + int.from_bytes(jpeg[at + 2 : at + 4], "big")
    return markers


def test_it_stores_pixels_only_dropping_the_comment_exif_icc_and_xmp(
    admin: Any, make_listed: Any
) -> None:
    secret = f"NIK {NIK_WOMAN}".encode()
    tags = Image.Exif()
    tags[0x010F] = "Secret Phone Maker"
    source = io.BytesIO()
    Image.new("RGB", (64, 64), (200, 120, 40)).save(
        source,
        "JPEG",
        comment=secret,
        exif=tags,
        icc_profile=b"ICC " + secret,
        xmp=b"<x:xmpmeta>" + secret + b"</x:xmpmeta>",
    )
    with Image.open(io.BytesIO(source.getvalue())) as original:
        assert original.info["comment"] == secret
        assert {"exif", "icc_profile", "xmp"} <= original.info.keys()
    upload = SimpleUploadedFile("foto.jpg", source.getvalue(), content_type="image/jpeg")

    photo = services.add_product_photo(admin, product_of(make_listed()), upload)

    for stored in (photo.image.read(), photo.thumbnail.read()):
        assert NIK_WOMAN.encode() not in stored
        assert b"Secret Phone Maker" not in stored
        # Only APP0 (JFIF), quantisation and Huffman tables, frame header, start of scan:
        # no COM (0xFE) and no APP1…APP15 (EXIF, XMP, ICC, …).
        assert not {0xFE, *range(0xE1, 0xF0)} & set(_segments(stored))
        with Image.open(io.BytesIO(stored)) as picture:
            assert not {"comment", "exif", "icc_profile", "xmp"} & picture.info.keys()
            assert not picture.getexif()
