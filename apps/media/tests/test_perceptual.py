"""Perceptual hashes of real clips made with PyAV: re-encodes look alike, different clips do not, broken files fail."""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest

from apps.core.testing.catalogue import CLIP
from apps.core.testing.media import has_codec, make_clip, reencode
from apps.media.duplicates.detection import PERCEPTUAL_THRESHOLD
from apps.media.duplicates.perceptual import (
    SAMPLE_FRACTIONS,
    PerceptualError,
    VideoHash,
    dhash,
    distance_within,
    hamming,
    mean_distance,
    video_hash,
)


@pytest.fixture(scope="module")
def original(tmp_path_factory) -> Path:
    return make_clip(tmp_path_factory.mktemp("perceptual") / "original.mkv", pattern=1, **CLIP)


def test_a_reencode_at_another_size_bitrate_and_container_looks_alike(original, tmp_path):
    copy = reencode(original, tmp_path / "copy.mp4", width=160, height=120, bit_rate=60_000)
    assert copy.stat().st_size < original.stat().st_size
    distance = mean_distance(video_hash(original), video_hash(copy))
    assert distance is not None and distance <= 4 < PERCEPTUAL_THRESHOLD


def test_different_clips_of_the_same_length_do_not(original, tmp_path):
    ours = video_hash(original)
    distances = []
    for seed in range(2, 8):
        other = make_clip(tmp_path / f"other-{seed}.mkv", pattern=seed, **CLIP)
        distances.append(mean_distance(ours, video_hash(other)))
    # Unrelated 64-bit hashes differ in 32 bits on average; these stay far above the threshold.
    assert min(distances) > 1.5 * PERCEPTUAL_THRESHOLD, distances


@pytest.mark.parametrize(
    ("suffix", "codec"),
    [(".ts", "mpeg2video"), (".avi", "mpeg4"), (".webm", "libvpx-vp9"), (".mov", "libx264")],
)
def test_seeking_works_in_other_containers_and_codecs(original, tmp_path, suffix, codec):
    if not has_codec(codec):
        pytest.skip(f"no {codec} in this FFmpeg")
    copy = reencode(original, tmp_path / f"copy{suffix}", width=240, height=180, video_codec=codec, bit_rate=300_000)
    hashed = video_hash(copy)
    assert None not in hashed.frames  # every sample point reached (MPEG-TS seeks land late and are retried)
    assert mean_distance(video_hash(original), hashed) <= 4


def test_every_sample_is_a_different_frame(original):
    frames = video_hash(original).frames
    assert len(frames) == len(SAMPLE_FRACTIONS) == 10
    assert len(set(frames)) == 10


def test_flat_pictures_identify_nothing(tmp_path):
    flat = make_clip(tmp_path / "flat.mkv", seconds=2)  # the factory's default: flat colours
    hashed = video_hash(flat)
    assert hashed.frames == (None,) * 10
    assert mean_distance(hashed, hashed) is None  # two flat videos are never "alike"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("empty.mkv", lambda data: b""),
        ("random.mkv", lambda data: os.urandom(50_000)),
        ("random.mp4", lambda data: os.urandom(50_000)),
        ("header-only.mkv", lambda data: data[:2000]),
        ("truncated.mkv", lambda data: data[: len(data) // 3]),
    ],
)
def test_broken_files_raise_a_short_reason(original, tmp_path, name, content):
    broken = tmp_path / name
    broken.write_bytes(content(original.read_bytes()))
    with pytest.raises(PerceptualError) as caught:
        video_hash(broken)
    assert str(caught.value)


def test_files_without_video_or_not_files_at_all(tmp_path):
    audio = make_clip(tmp_path / "audio.mkv", video_codec=None)
    for path, reason in ((audio, "no video"), (tmp_path, "not a regular file"), (tmp_path / "gone.mkv", "cannot read")):
        with pytest.raises(PerceptualError, match=reason):
            video_hash(path)


def test_dhash_bits_and_distance():
    rising = [x * 20 for x in range(9)] * 8  # brighter to the right: every pixel darker than its neighbour
    assert dhash(rising) == 2**64 - 1
    assert dhash(list(reversed(rising))) == 0
    assert dhash([100] * 72) is None
    assert hamming(0b1011, 0b0001) == 2


def test_stored_text_round_trips():
    hashed = VideoHash((1, None, 2**64 - 1))
    assert hashed.encode() == "0000000000000001 - ffffffffffffffff"
    assert VideoHash.decode(hashed.encode()) == hashed
    assert VideoHash.decode("") is None
    assert VideoHash.decode("not hex") is None


def test_distance_needs_enough_frames_in_common():
    a = VideoHash((0, 0, 0, 0, 0, None, None, None, None, None))
    b = VideoHash((0, 0, 0, 0, 1, 0, 0, 0, 0, 0))
    assert mean_distance(a, b) == pytest.approx(0.2)
    assert mean_distance(a, VideoHash((None,) * 5 + (0,) * 5)) is None


def test_the_early_exit_comparison_agrees_with_the_mean():
    rng = random.Random(6)  # noqa: S311 -- reproducible test data
    base = [rng.getrandbits(64) for _ in range(10)]
    for flips in range(0, 40, 3):
        other = [h ^ sum(1 << rng.randrange(64) for _ in range(flips)) for h in base]
        other[rng.randrange(10)] = None
        a, b = VideoHash(tuple(base)), VideoHash(tuple(other))
        mean = mean_distance(a, b)
        for threshold in (5.0, 10.0, 20.0):
            assert distance_within(a, b, threshold) == (mean if mean <= threshold else None)
