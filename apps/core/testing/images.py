"""Images for tests and benches: real JPEG/PNG/WebP bytes drawn with Pillow, and hostile files made by hand."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

from PIL import Image, ImageDraw


def image_bytes(
    width: int = 600, height: int = 900, *, fmt: str = "JPEG", seed: int = 0, alpha: bool = False, **options
) -> bytes:
    """A drawn picture (a gradient and a few shapes, different for each seed), encoded as `fmt`."""
    mode = "RGBA" if alpha else "RGB"
    image = Image.linear_gradient("L").resize((width, height)).convert(mode)
    draw = ImageDraw.Draw(image)
    for i in range(4):
        x, y = (seed * 97 + i * 131) % width, (seed * 53 + i * 71) % height
        colour = ((seed * 40 + i * 60) % 256, (i * 90) % 256, (seed * 25) % 256, 255)
        draw.ellipse((x, y, x + width // 3, y + height // 4), fill=colour[: len(mode)])
    if alpha:
        draw.rectangle((0, 0, width // 2, height // 2), fill=(0, 0, 0, 0))  # a transparent quarter
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_of_zeros(path: Path, width: int, height: int) -> Path:
    """A valid 1-bit black PNG of any size, written row block by row block: a 30,000 x 30,000 bomb is ~110 KB
    on disk and never in memory, compressed or not."""
    with path.open("wb") as out:
        out.write(b"\x89PNG\r\n\x1a\n")
        out.write(_chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)))
        compressor = zlib.compressobj(9)
        row = b"\0" * (1 + (width + 7) // 8)  # filter byte, then the packed pixels
        block = 256
        for start in range(0, height, block):
            piece = compressor.compress(row * min(block, height - start))
            if piece:
                out.write(_chunk(b"IDAT", piece))
        out.write(_chunk(b"IDAT", compressor.flush()))
        out.write(_chunk(b"IEND", b""))
    return path
