"""An image at one of the fixed widths, in the format a client takes: made once with Pillow, then kept on disk.

Variants live under IMAGES_DIR/variants/<aa>/<hash>/<width or "original">.<ext>; the first request makes
one (a temporary file renamed into place, so concurrent requests each see a whole file), later ones only
find it. Images are never upscaled.
"""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image, ImageOps

from apps.media.images import WIDTHS
from apps.metadata.images.store import file_write_atomic, image_decode, images_dir, original_path

WEBP, JPEG = "webp", "jpeg"  # what a client takes: WebP, or the formats every client reads (JPEG, PNG)
CONTENT_TYPES = {".webp": "image/webp", ".jpg": "image/jpeg", ".png": "image/png", ".gif": "image/gif"}
QUALITY = {"webp": 82, "jpg": 85}
# Served as stored when no width is asked for: the original bytes, when the client can read them.
AS_STORED = {WEBP: (".jpg", ".png", ".webp"), JPEG: (".jpg", ".png")}


class VariantMissing(FileNotFoundError):
    """The original of the image is not in the data dir (never fetched, or removed)."""


def width_snap(*, requested: int | None, image_width: int | None) -> int | None:
    """The fixed width to serve for a requested `w`: the next one up, or None (the original) when that would
    be as wide as the image or wider (no upscaling)."""
    if requested is None:
        return None
    snapped = next((w for w in WIDTHS if w >= requested), None)
    if snapped is None or (image_width is not None and snapped >= image_width):
        return None
    return snapped


def image_variant(*, content_hash: str, width: int | None, fmt: str) -> Path:
    """The file to serve for `content_hash` at `width` (None: full size) for a client taking `fmt`.

    `fmt` is "webp" or "jpeg"; for "jpeg" an image with transparency comes as PNG. Raises VariantMissing
    when the original is gone.
    """
    folder = images_dir() / "variants" / content_hash[:2] / content_hash
    name = str(width) if width else "original"
    candidates = [f"{name}.webp"] if fmt == WEBP else [f"{name}.jpg", f"{name}.png"]
    for candidate in candidates:
        path = folder / candidate
        if path.exists():
            return path
    original = original_path(content_hash=content_hash)
    if original is None:
        raise VariantMissing(content_hash)
    if width is None and original.suffix in AS_STORED[fmt]:
        return original
    return _make(original=original, folder=folder, name=name, width=width, fmt=fmt)


def _make(*, original: Path, folder: Path, name: str, width: int | None, fmt: str) -> Path:
    # The original passed image_store's checks; it is decoded through the same guarded door all the same, and a
    # JPEG at the smallest scale still twice the width asked for (libjpeg skips the rest: 4-16x less work).
    data = original.read_bytes()
    hint = (width * 2, 1) if width else None
    image = ImageOps.exif_transpose(image_decode(data=data, at_least=hint))  # a phone's portrait stands up
    if width and width < image.width:
        height = max(1, round(image.height * width / image.width))
        image = image.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)
    transparent = _has_alpha(image)
    image = image.convert("RGBA" if transparent else "RGB")
    out = io.BytesIO()
    if fmt == WEBP:
        extension = "webp"
        image.save(out, "WEBP", quality=QUALITY["webp"], method=4)
    elif transparent:
        extension = "png"
        image.save(out, "PNG", optimize=True)
    else:
        extension = "jpg"
        image.save(out, "JPEG", quality=QUALITY["jpg"], optimize=True, progressive=True)
    target = folder / f"{name}.{extension}"
    file_write_atomic(target=target, data=out.getvalue())
    return target


def _has_alpha(image: Image.Image) -> bool:
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        alpha = image.convert("RGBA").getchannel("A")
        return alpha.getextrema()[0] < 255  # an alpha channel that is opaque everywhere is no transparency
    return image.mode in ("RGBa", "La")
