"""Attachments: which files are accepted (by their first bytes, not their name) and
photos without location data for anyone but staff."""
from __future__ import annotations

import io

from fazhi_shared.errors import ValidationFailed

SIGNATURES = (
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"%PDF-", "application/pdf"),
)
PHOTOS = ("image/jpeg", "image/png")


def sniff(head: bytes) -> str:
    """The content type of a file from its first bytes; refused when not accepted."""
    for magic, content_type in SIGNATURES:
        if head.startswith(magic):
            return content_type
    raise ValidationFailed.for_field("file", "只能上传 JPEG/PNG 照片或 PDF 文档。",
                                     "Only JPEG or PNG photos and PDF documents are accepted.")


def without_location(data: bytes, content_type: str) -> bytes:
    """The photo re-encoded without its EXIF (GPS among it) and text chunks: pixels kept,
    orientation applied so it still shows the right way up."""
    from PIL import Image, ImageOps

    with Image.open(io.BytesIO(data)) as img:
        img = ImageOps.exif_transpose(img)
        out = io.BytesIO()
        if content_type == "image/jpeg":
            img.convert("RGB").save(out, "JPEG", quality=90)
        else:
            img.save(out, "PNG")          # no pnginfo, no exif: only the pixels
        return out.getvalue()
