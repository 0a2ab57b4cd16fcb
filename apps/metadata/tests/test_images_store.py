"""Image bytes: checked with Pillow, stored once under their hash, resized once per width and format, BlurHash."""

from __future__ import annotations

import io
import math
import os
import stat
import threading

import pytest
from PIL import Image

from apps.core.testing.images import image_bytes, png_of_zeros
from apps.metadata.images.blurhash import ALPHABET, blurhash_encode
from apps.metadata.images.store import ImageRefused, image_store, original_path
from apps.metadata.images.variants import JPEG, WEBP, VariantMissing, image_variant, width_snap


@pytest.fixture(autouse=True)
def images_dir(settings, tmp_path):
    settings.IMAGES_DIR = tmp_path / "data" / "images"
    return settings.IMAGES_DIR


def opened(path) -> Image.Image:
    image = Image.open(path)
    image.load()
    return image


# BlurHash -------------------------------------------------------------------------------------------------------


def number(part: str) -> int:
    value = 0
    for char in part:
        value = value * 83 + ALPHABET.index(char)
    return value


def average(text: str) -> tuple[int, int, int]:
    dc = number(text[2:6])
    return dc >> 16, (dc >> 8) & 255, dc & 255


def blurhash_decode(text: str, width: int, height: int) -> Image.Image:
    """The reference decoder (https://github.com/woltapp/blurhash/blob/master/Algorithm.md), for round trips."""

    def linear(v: int) -> float:
        v /= 255
        return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4

    def srgb(v: float) -> int:
        v = max(0.0, min(1.0, v))
        return round(v * 12.92 * 255) if v <= 0.0031308 else round((1.055 * v ** (1 / 2.4) - 0.055) * 255)

    size = number(text[0])
    nx, ny = size % 9 + 1, size // 9 + 1
    maximum = (number(text[1]) + 1) / 166
    dc = number(text[2:6])
    colours = [(linear(dc >> 16), linear((dc >> 8) & 255), linear(dc & 255))]
    for i in range(1, nx * ny):
        value = number(text[4 + i * 2 : 6 + i * 2])
        quant = (value // 361, (value // 19) % 19, value % 19)
        colours.append(tuple(math.copysign(((q - 9) / 9) ** 2, q - 9) * maximum for q in quant))
    image = Image.new("RGB", (width, height))
    for y in range(height):
        for x in range(width):
            rgb = [0.0, 0.0, 0.0]
            for j in range(ny):
                for i in range(nx):
                    basis = math.cos(math.pi * x * i / width) * math.cos(math.pi * y * j / height)
                    for c in range(3):
                        rgb[c] += colours[j * nx + i][c] * basis
            image.putpixel((x, y), tuple(srgb(v) for v in rgb))
    return image


def test_blurhash_of_a_plain_image_paints_that_colour():
    white = blurhash_encode(image=Image.new("RGB", (64, 40), "white"))
    # 4x3 components ("L"), and pure white as the average colour: "TSUA", as in the reference encoders' outputs.
    assert white[0] == "L" and white[2:6] == "TSUA"
    painted = blurhash_decode(white, 16, 12)
    assert (
        min(min(painted.getpixel((x, y))) for x in range(16) for y in range(12)) >= 225
    )  # the reference's basis leaks a little of
    # the average into the odd components, so a flat image paints nearly flat, as it does in every implementation


def test_blurhash_round_trips_through_the_reference_decoder():
    hash_ = "LEHV6nWB2yk8pyo0adR*.7kCMdnj"  # the example of the BlurHash README
    again = blurhash_encode(image=blurhash_decode(hash_, 32, 32))
    assert len(again) == 28 and again[0] == hash_[0]
    assert all(abs(a - b) <= 1 for a, b in zip(average(again), average(hash_), strict=True))  # the average colour
    first, second = blurhash_decode(hash_, 32, 32).tobytes(), blurhash_decode(again, 32, 32).tobytes()
    assert sum(abs(a - b) for a, b in zip(first, second, strict=True)) / len(first) < 6  # paints the same picture


def test_blurhash_of_a_photo_is_28_characters_and_follows_the_picture():
    poster = Image.open(io.BytesIO(image_bytes(seed=1)))
    other = Image.open(io.BytesIO(image_bytes(seed=7)))
    assert len(blurhash_encode(image=poster)) == 28
    assert blurhash_encode(image=poster) != blurhash_encode(image=other)


# Storing --------------------------------------------------------------------------------------------------------


def test_an_image_is_stored_once_under_its_hash_privately(images_dir):
    os.umask(0o022)
    data = image_bytes(600, 900)
    first = image_store(data=data)
    again = image_store(data=data)
    assert first == again
    assert (first.width, first.height, first.format) == (600, 900, "JPEG")
    path = original_path(content_hash=first.content_hash)
    assert path == images_dir / "originals" / first.content_hash[:2] / f"{first.content_hash}.jpg"
    assert path.read_bytes() == data
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE((images_dir / "originals").stat().st_mode) == 0o700
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temporary file left behind


@pytest.mark.parametrize("fmt", ["PNG", "WEBP", "GIF"])
def test_png_webp_and_gif_are_accepted(fmt):
    stored = image_store(data=image_bytes(300, 200, fmt=fmt))
    assert (stored.width, stored.height, stored.format) == (300, 200, fmt)


def test_an_animated_gif_is_kept_and_its_first_frame_describes_it():
    frames = [Image.new("RGB", (40, 30), colour) for colour in ("red", "blue", "green")]
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:])
    stored = image_store(data=out.getvalue())
    assert (stored.width, stored.height) == (40, 30)
    assert stored.blurhash[2:6] == blurhash_encode(image=frames[0])[2:6]


def hostile(tmp_path) -> dict[str, bytes]:
    jpeg = image_bytes(800, 1200, seed=3)
    return {
        "a 30,000 x 30,000 PNG": png_of_zeros(tmp_path / "bomb.png", 30_000, 30_000).read_bytes(),
        "a 7,000 x 7,000 PNG": png_of_zeros(tmp_path / "big.png", 7_000, 7_000).read_bytes(),
        "a truncated JPEG": jpeg[: len(jpeg) * 2 // 3],
        "a JPEG cut after its header": jpeg[:700],
        "an SVG": b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"></svg>',
        "a bare SVG": b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        "a text file named .jpg": b"This is not a poster, just some notes.\n",
        "an HTML error page": b"<!DOCTYPE html><html><body>502 Bad Gateway</body></html>",
        "a BMP": image_bytes(20, 20, fmt="BMP"),
        "empty": b"",
        "random bytes": os.urandom(4096),
    }


REASONS = {
    "a 30,000 x 30,000 PNG": "too many pixels",
    "a 7,000 x 7,000 PNG": "too many pixels (7000x7000; at most 40 megapixels)",
    "a truncated JPEG": "broken JPEG image (image file is truncated",
    "a JPEG cut after its header": "broken JPEG image",
    "an SVG": "not an image (SVG is not accepted)",
    "a bare SVG": "not an image (SVG is not accepted)",
    "a text file named .jpg": "not an image (text)",
    "an HTML error page": "not an image (an HTML page)",
    "a BMP": "not an image in an accepted format (JPEG, PNG, WebP or GIF)",
    "empty": "empty file",
    "random bytes": "not an image in an accepted format",
}


def test_hostile_images_are_refused_with_a_reason_and_nothing_is_stored(tmp_path, images_dir):
    files = hostile(tmp_path)
    assert len(files["a 30,000 x 30,000 PNG"]) < 200_000  # the bomb: tiny on disk, 900 megapixels decoded
    for name, data in files.items():
        with pytest.raises(ImageRefused) as refused:
            image_store(data=data)
        assert refused.value.reason.startswith(REASONS[name]), (name, refused.value.reason)
        assert len(refused.value.reason) <= 300
    assert not (images_dir / "originals").exists() or not any((images_dir / "originals").rglob("*.*"))
    assert image_store(data=image_bytes(10, 10)).width == 10  # and the next good one is fine


def test_an_image_larger_than_the_byte_limit_is_refused_before_it_is_decoded(settings):
    with pytest.raises(ImageRefused, match="too large"):
        image_store(data=b"\xff\xd8" + b"\0" * (20 << 20))


# Variants -------------------------------------------------------------------------------------------------------


def test_widths_snap_up_to_the_next_fixed_width_and_never_past_the_image():
    assert width_snap(requested=100, image_width=2000) == 185
    assert width_snap(requested=342, image_width=2000) == 342
    assert width_snap(requested=1, image_width=2000) == 92
    assert width_snap(requested=1281, image_width=2000) is None  # past the largest: the original
    assert width_snap(requested=500, image_width=400) is None  # no upscaling: the original
    assert width_snap(requested=None, image_width=400) is None


def test_a_variant_is_made_once_at_its_width_and_kept(images_dir):
    stored = image_store(data=image_bytes(1000, 1500))
    path = image_variant(content_hash=stored.content_hash, width=342, fmt=WEBP)
    assert path == images_dir / "variants" / stored.content_hash[:2] / stored.content_hash / "342.webp"
    image = opened(path)
    assert (image.format, image.size) == ("WEBP", (342, 513))
    made = path.stat().st_mtime_ns
    assert image_variant(content_hash=stored.content_hash, width=342, fmt=WEBP) == path
    assert path.stat().st_mtime_ns == made
    jpeg = opened(image_variant(content_hash=stored.content_hash, width=92, fmt=JPEG))
    assert (jpeg.format, jpeg.size) == ("JPEG", (92, 138))


def test_the_original_is_served_as_stored_when_the_client_reads_its_format():
    jpeg = image_store(data=image_bytes(300, 450))
    assert image_variant(content_hash=jpeg.content_hash, width=None, fmt=JPEG) == original_path(
        content_hash=jpeg.content_hash
    )
    webp = image_store(data=image_bytes(300, 450, fmt="WEBP", seed=2))
    # A WebP original for a client without WebP: re-encoded at full size.
    converted = opened(image_variant(content_hash=webp.content_hash, width=None, fmt=JPEG))
    assert (converted.format, converted.size) == ("JPEG", (300, 450))


def test_transparency_is_kept_as_png_without_webp_and_as_webp_with_it():
    stored = image_store(data=image_bytes(400, 400, fmt="PNG", alpha=True))
    png = opened(image_variant(content_hash=stored.content_hash, width=185, fmt=JPEG))
    assert png.format == "PNG" and png.mode == "RGBA" and png.getpixel((5, 5))[3] == 0
    webp = opened(image_variant(content_hash=stored.content_hash, width=185, fmt=WEBP))
    assert webp.format == "WEBP" and webp.mode == "RGBA" and webp.getpixel((5, 5))[3] == 0
    opaque = image_store(data=image_bytes(400, 400, fmt="PNG", seed=4))
    assert opened(image_variant(content_hash=opaque.content_hash, width=185, fmt=JPEG)).format == "JPEG"


def test_concurrent_requests_for_a_new_variant_each_get_a_whole_file():
    stored = image_store(data=image_bytes(2000, 3000))
    results, errors = [], []

    def ask() -> None:
        try:
            path = image_variant(content_hash=stored.content_hash, width=780, fmt=WEBP)
            results.append(opened(path).size)
        except Exception as exc:  # collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=ask) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and results == [(780, 1170)] * 6
    folder = original_path(content_hash=stored.content_hash).parents[2] / "variants"
    assert sorted(p.name for p in folder.rglob("*") if p.is_file()) == ["780.webp"]


def test_a_variant_of_an_image_that_is_not_stored_is_missing():
    with pytest.raises(VariantMissing):
        image_variant(content_hash="0" * 64, width=92, fmt=JPEG)
