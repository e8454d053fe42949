"""Admin-uploaded images (core.images): decoded by Pillow within byte and pixel limits, re-encoded
without metadata, refused with a message naming the rule otherwise."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from core.images import image_content_type, image_upload_clean


def image_bytes(fmt: str = "JPEG", size=(64, 48), mode: str = "RGB", **save) -> bytes:
    buffer = io.BytesIO()
    colour = {"RGBA": (200, 30, 30, 128), "RGB": (200, 30, 30)}.get(mode, 0)
    Image.new(mode, size, colour).save(buffer, format=fmt, **save)
    return buffer.getvalue()


def upload(data: bytes, name: str = "picture.jpg", content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def test_it_re_encodes_a_photo_as_jpeg_without_its_metadata():
    exif = Image.Exif()
    exif[0x010F] = "Secret Camera Co"  # Make
    cleaned = image_upload_clean(upload(image_bytes("JPEG", exif=exif.tobytes())))
    data = cleaned.content.read()
    assert cleaned.content.name.endswith(".jpg") and (cleaned.width, cleaned.height) == (64, 48)
    assert b"Secret Camera Co" not in data
    assert Image.open(io.BytesIO(data)).format == "JPEG"


def test_transparency_is_kept_as_png_and_webp_is_accepted():
    assert image_upload_clean(upload(image_bytes("PNG", mode="RGBA"), "logo.png")).content.name.endswith(".png")
    assert image_upload_clean(upload(image_bytes("WEBP"), "photo.webp")).content.name.endswith(".jpg")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"<html><script>alert(1)</script></html>", "not a readable PNG, JPEG or WebP image"),
        (image_bytes("JPEG")[:200], "not a readable PNG, JPEG or WebP image"),
        (image_bytes("GIF", mode="P"), "Upload a PNG, JPEG or WebP image."),
    ],
)
def test_it_refuses_what_is_not_a_whole_accepted_image(data, message):
    with pytest.raises(ValidationError, match=message):
        image_upload_clean(upload(data, "x.png", "image/png"))


def test_it_refuses_files_and_pictures_over_the_limits(settings):
    settings.IMAGE_UPLOAD_MAX_BYTES = 1024
    with pytest.raises(ValidationError, match="the largest accepted is"):
        image_upload_clean(upload(b"\xff" * 2048))
    settings.IMAGE_UPLOAD_MAX_BYTES = 5 * 1024 * 1024
    settings.IMAGE_UPLOAD_MAX_PIXELS = 1_000_000
    # A small file that decodes to a huge picture (a decompression bomb) is refused before decoding.
    bomb = image_bytes("PNG", size=(2000, 2000), mode="L", optimize=True)
    assert len(bomb) < 20_000
    with pytest.raises(ValidationError, match="2000 by 2000 pixels"):
        image_upload_clean(upload(bomb, "bomb.png", "image/png"))


def test_the_content_type_comes_from_the_stored_extension():
    assert image_content_type("rewards/abc.jpg") == "image/jpeg"
    assert image_content_type("toolkit/abc.png") == "image/png"
    assert image_content_type("toolkit/abc.html") == "application/octet-stream"
