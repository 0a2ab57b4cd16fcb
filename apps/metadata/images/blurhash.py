"""BlurHash (https://blurha.sh): a ~28-character placeholder a client paints while the image loads.

The reference algorithm: a few cosine components of the image in linear light, the average colour exact and the
rest quantised, written in base 83. Encoded from a thumbnail of at most 32 px, so it costs about a millisecond.
"""

from __future__ import annotations

import math

from PIL import Image

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz#$%*+,-.:;=?@[]^_{|}~"
THUMBNAIL = 32
_LINEAR = [((v / 255) / 12.92 if v / 255 <= 0.04045 else ((v / 255 + 0.055) / 1.055) ** 2.4) for v in range(256)]


def base83(value: int, length: int) -> str:
    return "".join(ALPHABET[(value // 83 ** (length - i - 1)) % 83] for i in range(length))


def _srgb(value: float) -> int:
    v = max(0.0, min(1.0, value))
    return round(v * 12.92 * 255) if v <= 0.0031308 else round((1.055 * v ** (1 / 2.4) - 0.055) * 255)


def _sign_pow(value: float, exponent: float) -> float:
    return math.copysign(abs(value) ** exponent, value)


def blurhash_encode(*, image: Image.Image, x_components: int = 4, y_components: int = 3) -> str:
    """The BlurHash of `image` (any mode; transparency is dropped) with 4x3 components by default."""
    small = image.convert("RGB")
    small.thumbnail((THUMBNAIL, THUMBNAIL), Image.Resampling.BOX)
    width, height = small.size
    raw = small.tobytes()
    pixels = [(_LINEAR[raw[k]], _LINEAR[raw[k + 1]], _LINEAR[raw[k + 2]]) for k in range(0, len(raw), 3)]
    factors = []
    for j in range(y_components):
        cos_y = [math.cos(math.pi * j * y / height) for y in range(height)]
        for i in range(x_components):
            cos_x = [math.cos(math.pi * i * x / width) for x in range(width)]
            r = g = b = 0.0
            for y in range(height):
                row = y * width
                for x in range(width):
                    basis = cos_x[x] * cos_y[y]
                    pr, pg, pb = pixels[row + x]
                    r, g, b = r + basis * pr, g + basis * pg, b + basis * pb
            scale = (1 if i == j == 0 else 2) / (width * height)
            factors.append((r * scale, g * scale, b * scale))
    dc, ac = factors[0], factors[1:]
    text = base83((x_components - 1) + (y_components - 1) * 9, 1)
    maximum = 1.0
    if ac:
        quantised = max(0, min(82, math.floor(max(abs(c) for f in ac for c in f) * 166 - 0.5)))
        maximum = (quantised + 1) / 166
        text += base83(quantised, 1)
    else:
        text += base83(0, 1)
    text += base83((_srgb(dc[0]) << 16) + (_srgb(dc[1]) << 8) + _srgb(dc[2]), 4)
    for factor in ac:
        r, g, b = (max(0, min(18, math.floor(_sign_pow(c / maximum, 0.5) * 9 + 9.5))) for c in factor)
        text += base83(r * 19 * 19 + g * 19 + b, 2)
    return text
