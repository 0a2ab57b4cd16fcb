"""Structured test pictures: a gradient with shapes moving over it, different for every seed.

Flat colours look alike to a perceptual hash; these pictures make a clip recognisable after a re-encode while two
seeds stay as different as two films. Drawn small in Python, then scaled up by swscale (fast at any size).
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

import av

# The picture is drawn at this size and scaled to the clip's size: ~1,700 pixels per frame in Python.
DRAW_WIDTH, DRAW_HEIGHT = 48, 36


@dataclass(frozen=True)
class _Shape:
    x: float
    y: float
    dx: float
    dy: float
    radius: float
    colour: tuple[int, int, int]
    disc: bool


@dataclass(frozen=True)
class Pattern:
    """The scene of one seed: a slowly turning gradient and a few shapes bouncing around."""

    angle: float
    spin: float
    low: tuple[int, int, int]
    high: tuple[int, int, int]
    shapes: tuple[_Shape, ...]

    @classmethod
    def from_seed(cls, seed: int) -> Pattern:
        rng = random.Random(seed)  # noqa: S311 -- reproducible pictures, not secrets

        def colour() -> tuple[int, int, int]:
            return (rng.randrange(256), rng.randrange(256), rng.randrange(256))

        shapes = tuple(
            _Shape(
                x=rng.random(),
                y=rng.random(),
                dx=rng.uniform(-0.15, 0.15),
                dy=rng.uniform(-0.15, 0.15),
                radius=rng.uniform(0.08, 0.25),
                colour=colour(),
                disc=rng.random() < 0.5,
            )
            for _ in range(rng.randint(3, 6))
        )
        return cls(rng.uniform(0, 2 * math.pi), rng.uniform(-0.3, 0.3), colour(), colour(), shapes)

    def rgb(self, seconds: float) -> bytes:
        """The picture at `seconds` as packed RGB24 of DRAW_WIDTH x DRAW_HEIGHT."""
        angle = self.angle + self.spin * seconds
        cos, sin = math.cos(angle), math.sin(angle)
        placed = [(_bounce(s.x + s.dx * seconds), _bounce(s.y + s.dy * seconds), s) for s in self.shapes]
        out = bytearray()
        for row in range(DRAW_HEIGHT):
            y = (row + 0.5) / DRAW_HEIGHT
            for col in range(DRAW_WIDTH):
                x = (col + 0.5) / DRAW_WIDTH
                pixel = _mix(self.low, self.high, 0.5 + 0.5 * ((x - 0.5) * cos + (y - 0.5) * sin))
                for sx, sy, shape in placed:
                    if shape.disc:
                        inside = (x - sx) ** 2 + (y - sy) ** 2 <= shape.radius**2
                    else:
                        inside = abs(x - sx) <= shape.radius and abs(y - sy) <= shape.radius
                    if inside:
                        pixel = shape.colour
                out += bytes(pixel)
        return bytes(out)

    def frame(self, seconds: float, width: int, height: int, pix_fmt: str) -> av.VideoFrame:
        """The picture at `seconds` scaled to a frame of the given size and pixel format."""
        small = av.VideoFrame(DRAW_WIDTH, DRAW_HEIGHT, "rgb24")
        plane, data, row_bytes = small.planes[0], self.rgb(seconds), DRAW_WIDTH * 3
        padded = b"".join(
            data[row * row_bytes : (row + 1) * row_bytes].ljust(plane.line_size, b"\0") for row in range(DRAW_HEIGHT)
        )
        plane.update(padded)
        return small.reformat(width=width, height=height, format=pix_fmt, interpolation="BICUBIC")


def _bounce(position: float) -> float:
    """Position on 0..1 of something moving at constant speed between two walls."""
    position %= 2.0
    return position if position <= 1.0 else 2.0 - position


def _mix(low: tuple[int, int, int], high: tuple[int, int, int], share: float) -> tuple[int, int, int]:
    share = min(max(share, 0.0), 1.0)
    return tuple(round(a + (b - a) * share) for a, b in zip(low, high, strict=True))
