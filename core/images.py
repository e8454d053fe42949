"""Images uploaded by admins (reward pictures, toolkit images), made safe to serve.

An upload is accepted only if Pillow decodes it fully as PNG, JPEG or WebP within the byte and
pixel limits (a decompression bomb or a file that merely claims to be an image is refused with a
message saying why). It is then re-encoded: the stored file is pixels written by Pillow, with no
metadata (camera EXIF, GPS position) and nothing a browser could sniff as HTML or script. Files
live in private storage and are served by views that check access, with their own content type.
"""

import io
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import Image, ImageOps, UnidentifiedImageError

ACCEPTED_FORMATS = {"PNG", "JPEG", "WEBP"}
CONTENT_TYPES = {"png": "image/png", "jpg": "image/jpeg"}


@dataclass(frozen=True)
class CleanImage:
    content: ContentFile
    width: int
    height: int


def image_upload_clean(upload) -> CleanImage:
    """Validate an uploaded image and return it re-encoded (PNG if it has transparency, else JPEG),
    under a random name (the model field's upload_to adds the folder); raise ValidationError naming
    the rule it breaks."""
    limit = settings.IMAGE_UPLOAD_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            f"The image is {upload.size / 1_048_576:.1f} MB; the largest accepted is {limit / 1_048_576:.0f} MB.",
            code="image_too_large",
        )
    upload.seek(0)
    try:
        with Image.open(upload) as probe:
            kind = probe.format
            width, height = probe.size
            if kind not in ACCEPTED_FORMATS:
                raise ValidationError("Upload a PNG, JPEG or WebP image.", code="image_format")
            if width * height > settings.IMAGE_UPLOAD_MAX_PIXELS:
                raise ValidationError(
                    f"The image is {width} by {height} pixels; make it smaller than "
                    f"{settings.IMAGE_UPLOAD_MAX_PIXELS // 1_000_000} megapixels.",
                    code="image_pixels",
                )
            probe.verify()
        upload.seek(0)
        with Image.open(upload) as image:
            image.load()
            image = ImageOps.exif_transpose(image)
            has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
            output = io.BytesIO()
            if has_alpha:
                image.convert("RGBA").save(output, format="PNG", optimize=True)
                extension = "png"
            else:
                image.convert("RGB").save(output, format="JPEG", quality=88, optimize=True)
                extension = "jpg"
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as error:
        raise ValidationError(
            "This file is not a readable PNG, JPEG or WebP image.", code="image_unreadable"
        ) from error
    finally:
        upload.seek(0)
    return CleanImage(ContentFile(output.getvalue(), name=f"{uuid.uuid4().hex}.{extension}"), width, height)


def image_content_type(name: str) -> str:
    """The content type of a stored (re-encoded) image, from its own extension."""
    return CONTENT_TYPES.get(name.rsplit(".", 1)[-1].lower(), "application/octet-stream")
