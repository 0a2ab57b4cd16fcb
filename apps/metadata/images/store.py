"""Image bytes, checked with Pillow and kept once under their SHA-256 in the data dir.

Every image is hostile input: only JPEG, PNG, WebP and GIF are opened (Pillow's other decoders never see the
bytes), the pixel count is bounded before anything is decoded, and the whole image is decoded once so a
truncated file is refused here rather than when a client asks for it.
"""

from __future__ import annotations

import codecs
import contextlib
import hashlib
import io
import os
import tempfile
import warnings
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from PIL import Image, UnidentifiedImageError

from apps.metadata.images.blurhash import blurhash_encode
from revenge.config import PRIVATE_FILE, private_folder

MAX_BYTES = 20 << 20
MAX_PIXELS = 40_000_000  # a 4K backdrop is 8 MP, a large poster 6 MP; beyond this is a mistake or a bomb
FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}
ACCEPTED = "JPEG, PNG, WebP or GIF"


class ImageRefused(Exception):
    """Bytes that are not an image we keep; `reason` is safe to record and show an operator."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class StoredImage:
    content_hash: str
    width: int
    height: int
    format: str  # JPEG, PNG, WEBP or GIF
    blurhash: str


def image_store(*, data: bytes) -> StoredImage:
    """Check `data`, keep it once under its hash, and describe it; raises ImageRefused with the reason."""
    if not data:
        raise ImageRefused("empty file")
    if len(data) > MAX_BYTES:
        raise ImageRefused(f"too large ({len(data) / (1 << 20):.1f} MB; at most {MAX_BYTES >> 20} MB)")
    image = image_decode(data=data)
    content_hash = hashlib.sha256(data).hexdigest()
    target = originals_dir() / content_hash[:2] / f"{content_hash}.{FORMATS[image.format]}"
    if not target.exists():  # identical bytes under another artwork are already here
        file_write_atomic(target=target, data=data)
    return StoredImage(content_hash, image.width, image.height, image.format, blurhash_encode(image=image))


def image_decode(*, data: bytes, at_least: tuple[int, int] | None = None) -> Image.Image:
    """The image in `data`, fully decoded (GIF: its first frame); raises ImageRefused when it is not one.

    `at_least`: a JPEG may be decoded at a reduced scale no smaller than this (a quarter of the work, or less).
    """
    try:
        with warnings.catch_warnings():
            # Pillow only warns between its limit and twice it; a warning here is a refusal.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=list(FORMATS))
            _bounded(image)
            image.verify()  # structure and checksums; the object is unusable afterwards
            image = Image.open(io.BytesIO(data), formats=list(FORMATS))
            if at_least and image.format == "JPEG":
                image.draft("RGB", at_least)
            image.load()  # every pixel: a truncated file fails here
    except ImageRefused:
        raise
    except UnidentifiedImageError:
        raise ImageRefused(_not_an_image(data)) from None
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageRefused(f"too many pixels (at most {MAX_PIXELS // 1_000_000} megapixels)") from None
    except (OSError, SyntaxError, ValueError, EOFError, MemoryError) as exc:
        # Pillow reports broken files with any of these; the message names the defect ("image file is truncated").
        raise ImageRefused(f"broken {_format_name(data)} image ({str(exc)[:120] or type(exc).__name__})") from None
    return image


def _bounded(image: Image.Image) -> None:
    width, height = image.size
    if width <= 0 or height <= 0:
        raise ImageRefused("an image without pixels")
    if width * height > MAX_PIXELS:
        raise ImageRefused(f"too many pixels ({width}x{height}; at most {MAX_PIXELS // 1_000_000} megapixels)")


def _not_an_image(data: bytes) -> str:
    head = data[:1024].lstrip().lower()
    if head.startswith(b"<svg") or (head.startswith(b"<?xml") and b"<svg" in head) or b"<svg" in head[:256]:
        return "not an image (SVG is not accepted)"
    if head.startswith((b"<!doctype html", b"<html")):
        return "not an image (an HTML page)"
    try:
        text = codecs.getincrementaldecoder("utf-8")().decode(data[:1024])  # a character cut at 1024 is fine
    except UnicodeDecodeError:
        text = "\0"  # binary
    if text and all(c.isprintable() or c in "\r\n\t" for c in text):
        return "not an image (text)"
    return f"not an image in an accepted format ({ACCEPTED})"


def _format_name(data: bytes) -> str:
    with contextlib.suppress(Exception):
        return Image.open(io.BytesIO(data), formats=list(FORMATS)).format or "image"
    return "image"


def images_dir() -> Path:
    return Path(settings.IMAGES_DIR)


def originals_dir() -> Path:
    return images_dir() / "originals"


def original_path(*, content_hash: str) -> Path | None:
    """Where the stored bytes of `content_hash` are, or None when they are not (yet, or any more) there."""
    folder = originals_dir() / content_hash[:2]
    for extension in FORMATS.values():
        path = folder / f"{content_hash}.{extension}"
        if path.exists():
            return path
    return None


def file_write_atomic(*, target: Path, data: bytes) -> None:
    """Write `data` to `target` whole or not at all: a reader never sees half a file, a writer never loses one."""
    private_folder(target.parent)  # the server's own files: only its user reads them
    fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")  # created 0600
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(temporary, PRIVATE_FILE)
        os.replace(temporary, target)  # two writers of the same bytes: the later one wins, nothing is lost
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
