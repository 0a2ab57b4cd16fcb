"""Perceptual fingerprints of videos: frames seeked to at fixed fractions of the duration, a 64-bit dHash each.

Two encodes of one video (other resolution, bitrate, codec or container) give nearly the same hashes; the
mean Hamming distance between the frames of two files says how alike they look.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

import av
import av.error

# 5 %, 15 %, ..., 95 %: away from the logos at the start and the credits at the end.
SAMPLE_FRACTIONS = tuple(round(0.05 + 0.1 * i, 2) for i in range(10))
HASH_WIDTH, HASH_HEIGHT = 9, 8
# Each hash pixel is the mean of a BLOCK x BLOCK square of a small frame scaled by swscale (area average).
BLOCK = 8
# A frame whose hash pixels span fewer grey levels than this is flat (black, a fade): it identifies nothing.
FLAT_RANGE = 8
# After a seek the decoder starts at the keyframe before the target; a GOP longer than this is cut short.
MAX_DECODED_PER_SAMPLE = 300
# Seeks that land past the target are retried from 1, 5, 21 s earlier, then the frame found is taken.
SEEK_ATTEMPTS = 4
# Fewer frames than this decoded (a broken file) gives no hash rather than a misleading one; two hashes are
# compared only where both have at least this many frames.
MIN_FRAMES = 5
DEFAULT_TIMEOUT = 30.0
# Mean Hamming distance (bits of 64 per frame) at or under which two videos are the same picture. Re-encodes of
# the test clips (other size, bitrate, codec, container) measure 0.3-3; different clips 16-45, 32 on average,
# which is what unrelated 64-bit hashes give. 10 leaves room for harsher encodes and a frame or two of offset
# (2 bits on average at 1080p, bench/phash.py) and stays far from chance.
PERCEPTUAL_THRESHOLD = 10.0


class PerceptualError(Exception):
    """A file that cannot be hashed; str(exc) is a short reason such as 'no video stream'."""


@dataclass(frozen=True)
class VideoHash:
    """One dHash per sample point; None where no usable frame was found there."""

    frames: tuple[int | None, ...]

    def encode(self) -> str:
        """Text for the database: 16 hex digits per frame, '-' for a missing one."""
        return " ".join("-" if h is None else f"{h:016x}" for h in self.frames)

    @classmethod
    def decode(cls, text: str) -> VideoHash | None:
        """The stored text back as a hash; None for '' (not hashable) or anything malformed."""
        if not text:
            return None
        try:
            return cls(tuple(None if part == "-" else int(part, 16) for part in text.split()))
        except ValueError:
            return None


def hamming(a: int, b: int) -> int:
    return (a ^ b).bit_count()


def mean_distance(a: VideoHash, b: VideoHash, *, min_frames: int = MIN_FRAMES) -> float | None:
    """Mean Hamming distance over the sample points where both have a frame; None when fewer than `min_frames`."""
    pairs = [(x, y) for x, y in zip(a.frames, b.frames, strict=False) if x is not None and y is not None]
    if len(pairs) < min_frames:
        return None
    return sum(hamming(x, y) for x, y in pairs) / len(pairs)


def distance_within(a: VideoHash, b: VideoHash, threshold: float, *, min_frames: int = MIN_FRAMES) -> float | None:
    """mean_distance(a, b) when it is at most `threshold`, else None; gives up as soon as it cannot be."""
    # Most pairs of a library are unrelated (~32 bits per frame): two or three frames tell.
    budget, total, count = threshold * len(a.frames), 0, 0
    for x, y in zip(a.frames, b.frames, strict=False):
        if x is not None and y is not None:
            total, count = total + (x ^ y).bit_count(), count + 1
            if total > budget:
                return None
    if count < min_frames or total > threshold * count:
        return None
    return total / count


def dhash(pixels: Sequence[int], *, width: int = HASH_WIDTH, height: int = HASH_HEIGHT) -> int | None:
    """Difference hash of a width x height grey picture (row by row): bit set where a pixel is darker than its right
    neighbour. None for a flat picture."""
    if max(pixels) - min(pixels) < FLAT_RANGE:
        return None
    bits = 0
    for row in range(height):
        line = pixels[row * width : (row + 1) * width]
        for left, right in pairwise(line):
            bits = (bits << 1) | (left < right)
    return bits


def frame_hash(frame: av.VideoFrame) -> int | None:
    """dHash of a decoded frame; the picture is shrunk in C, the last step (block means) done here."""
    small = frame.reformat(
        width=HASH_WIDTH * BLOCK, height=HASH_HEIGHT * BLOCK, format="gray", interpolation="AREA"
    ).planes[0]
    data, stride = bytes(small), small.line_size
    pixels = []
    for row in range(HASH_HEIGHT):
        lines = [
            data[(row * BLOCK + k) * stride : (row * BLOCK + k) * stride + HASH_WIDTH * BLOCK] for k in range(BLOCK)
        ]
        for col in range(HASH_WIDTH):
            start = col * BLOCK
            pixels.append(sum(sum(line[start : start + BLOCK]) for line in lines) // (BLOCK * BLOCK))
    return dhash(pixels)


def _duration(container: av.container.InputContainer, stream: av.video.stream.VideoStream) -> float | None:
    if stream.duration and stream.time_base:
        return float(stream.duration * stream.time_base)
    if container.duration and container.duration > 0:
        return container.duration / av.time_base
    return None


def _decode_after_seek(container, stream, seek_to: int, target: int) -> tuple[av.VideoFrame | None, bool]:
    """(frame at or after `target`, whether to seek further back: the seek landed past it or found nothing)."""
    container.seek(seek_to, stream=stream, backward=True)
    last, decoded = None, 0
    for packet in container.demux(stream):
        for frame in packet.decode():
            if decoded == 0 and frame.pts is not None and frame.pts > target:
                return frame, True
            last, decoded = frame, decoded + 1
            if frame.pts is None or frame.pts >= target or decoded >= MAX_DECODED_PER_SAMPLE:
                return frame, False
    if last is not None and last.pts is not None and target - last.pts > 1 / stream.time_base:
        return None, False  # the data ends before the target: a truncated file, nothing to see there
    return last, last is None


def _frame_near(container: av.container.InputContainer, stream, target: int, start: int) -> av.VideoFrame | None:
    """The first frame at or after `target` (in stream time base), reached by seeking to the keyframe before it."""
    # MPEG-TS seeks by bisection and may land a GOP late, or on nothing near the end: seek again, further back.
    floor, step, seek_to = min(start, 0), max(int(1 / stream.time_base), 1), target
    for _attempt in range(SEEK_ATTEMPTS):
        frame, again = _decode_after_seek(container, stream, seek_to, target)
        if not again or seek_to <= floor:
            return frame
        seek_to, step = max(floor, seek_to - step), step * 4
    return frame


def _hashes(container: av.container.InputContainer, fractions: Sequence[float]) -> VideoHash:
    if not container.streams.video:
        raise PerceptualError("no video stream")
    stream = container.streams.video[0]
    duration = _duration(container, stream)
    if not duration or duration <= 0 or not stream.time_base:
        raise PerceptualError("unknown duration")
    # Non-reference frames are never needed to reach a later frame: skipping them halves the decoding, and the
    # frame returned is at most a frame or two past the target, in every encode alike.
    stream.codec_context.skip_frame = "NONREF"
    start = stream.start_time or 0
    frames: list[int | None] = []
    decoded, seen = 0, set()
    for fraction in fractions:
        target = start + int(fraction * duration / stream.time_base)
        try:
            frame = _frame_near(container, stream, target, start)
        except (av.error.FFmpegError, ValueError):
            frame = None  # one bad spot in a file; the others may still decode
        if frame is not None and frame.pts is not None and frame.pts in seen:
            frame = None  # the same frame again: damaged data where this sample should be
        decoded += frame is not None
        seen.add(frame.pts if frame is not None else None)
        frames.append(frame_hash(frame) if frame is not None else None)
    if decoded < min(MIN_FRAMES, len(fractions)):
        raise PerceptualError(f"only {decoded} of {len(fractions)} sample frames could be decoded (damaged?)")
    return VideoHash(tuple(frames))


def video_hash(
    path: str | os.PathLike, *, fractions: Sequence[float] = SAMPLE_FRACTIONS, timeout: float = DEFAULT_TIMEOUT
) -> VideoHash:
    """Hash the frames at `fractions` of the video's duration; raises PerceptualError when the file gives none."""
    name = os.fsdecode(os.fspath(path))
    try:
        info = os.stat(name)
    except OSError as exc:
        raise PerceptualError(f"cannot read file: {exc.strerror or exc}") from exc
    if not stat.S_ISREG(info.st_mode):
        raise PerceptualError("not a regular file")
    if info.st_size == 0:
        raise PerceptualError("empty file")
    try:
        with av.open(name, "r", metadata_errors="replace", timeout=timeout) as container:
            return _hashes(container, fractions)
    except PerceptualError:
        raise
    except (av.error.FFmpegError, OSError, ValueError, UnicodeError, RuntimeError, EOFError) as exc:
        raise PerceptualError(f"cannot read media: {getattr(exc, 'strerror', None) or exc}") from exc
