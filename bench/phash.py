"""Perceptual hash benchmark: apps.media.duplicates.perceptual.video_hash (seeks to 10 frames) vs decoding the same
file through.

Run: .venv/bin/python bench/phash.py [--seconds 43] [--fps 24] [--gop 4] [--bitrate 8000000] [--runs 3]
Needs no Django settings or database. The test file is 1080p H.264 (x264 veryfast, B-frames, CABAC) with film-like
grain so that it decodes like a real encode, but short: --seconds of media with a keyframe every --gop seconds.
The ffmpeg CLI baseline runs too when `ffmpeg` is installed (`apt-get install -y ffmpeg`).

"Per hour" scaling: the seeking hash decodes at most one GOP per sample point whatever the length of the file, so
its cost per file is its cost per hour of video (for this GOP). Decoding through costs per frame, so its time is
scaled by 3600 / --seconds.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from fractions import Fraction
from itertools import pairwise
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import av  # noqa: E402
import av.filter  # noqa: E402

from apps.core.testing.patterns import Pattern  # noqa: E402
from apps.media.duplicates.perceptual import PERCEPTUAL_THRESHOLD, SAMPLE_FRACTIONS, frame_hash, hamming, video_hash  # noqa: E402

WIDTH, HEIGHT = 1920, 1080


def make_1080p(path: Path, *, seconds: float, fps: int, gop: float, bitrate: int, grain: int) -> float:
    """Encode the test file; returns the seconds it took."""
    start = time.perf_counter()
    rate = Fraction(fps)
    keyint = str(max(1, round(gop * fps)))
    scene = Pattern.from_seed(42)
    with av.open(str(path), "w") as out:
        options = {"preset": "veryfast", "g": keyint, "keyint_min": keyint, "sc_threshold": "0"}
        video = out.add_stream("libx264", rate=rate, options=options)
        video.width, video.height, video.pix_fmt, video.bit_rate = WIDTH, HEIGHT, "yuv420p", bitrate
        graph = av.filter.Graph()
        source = graph.add_buffer(width=WIDTH, height=HEIGHT, format="yuv420p", time_base=1 / rate)
        noise = graph.add("noise", f"alls={grain}:allf=t")
        source.link_to(noise)
        noise.link_to(graph.add("buffersink"))
        graph.configure()
        for index in range(round(seconds * fps)):
            frame = scene.frame(index / fps, WIDTH, HEIGHT, "yuv420p")
            frame.pts, frame.time_base = index, 1 / rate
            graph.push(frame)
            grained = graph.pull()
            grained.pts, grained.time_base = index, 1 / rate
            out.mux(video.encode(grained))
        out.mux(video.encode())
    return time.perf_counter() - start


def describe_file(path: Path) -> tuple[float, float, float]:
    """(duration, mean keyframe interval, mean distance from the previous keyframe to a sample point), in seconds."""
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        keys = [float(p.pts * p.time_base) for p in container.demux(stream) if p.pts is not None and p.is_keyframe]
        duration = container.duration / av.time_base
    interval = statistics.fmean(b - a for a, b in pairwise(keys)) if len(keys) > 1 else duration
    behind = [f * duration - max(k for k in keys if k <= f * duration) for f in SAMPLE_FRACTIONS]
    return duration, interval, statistics.fmean(behind)


def decode_through(path: Path) -> tuple[float, int, list[int | None]]:
    """Baseline: decode every frame and hash the first one at or after each sample point; (seconds, frames, hashes)."""
    start = time.perf_counter()
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        duration = container.duration / av.time_base
        targets = [int(f * duration / stream.time_base) + (stream.start_time or 0) for f in SAMPLE_FRACTIONS]
        hashes: list[int | None] = []
        frames = 0
        for frame in container.decode(stream):
            frames += 1
            if len(hashes) < len(targets) and frame.pts >= targets[len(hashes)]:
                hashes.append(frame_hash(frame))
    return time.perf_counter() - start, frames, hashes


def ffmpeg_frames(path: Path, duration: float) -> float:
    """Baseline 2: the ffmpeg CLI seeking to each sample point (-ss before -i) and writing one small grey frame."""
    start = time.perf_counter()
    for fraction in SAMPLE_FRACTIONS:
        subprocess.run(
            ["ffmpeg", "-v", "error", "-ss", f"{fraction * duration:.3f}", "-i", str(path), "-frames:v", "1",
             "-vf", "scale=72:64:flags=area,format=gray", "-f", "rawvideo", "-"],
            check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    # 43 s puts the sample points at uneven places in their GOPs; a round length can put them all on keyframes.
    parser.add_argument("--seconds", type=float, default=43.0, help="media length of the test file")
    parser.add_argument("--fps", type=int, default=24)
    parser.add_argument("--gop", type=float, default=4.0, help="seconds between keyframes")
    parser.add_argument("--bitrate", type=int, default=8_000_000)
    parser.add_argument("--grain", type=int, default=14, help="strength of the noise filter (0 = none)")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="revenge-bench-phash-") as tmp:
        path = Path(tmp) / "1080p.mkv"
        took = make_1080p(
            path, seconds=args.seconds, fps=args.fps, gop=args.gop, bitrate=args.bitrate, grain=args.grain
        )
        duration, interval, behind = describe_file(path)
        mbps = path.stat().st_size * 8 / duration / 1e6
        print(
            f"generated {WIDTH}x{HEIGHT} H.264: {duration:.1f} s at {args.fps} fps, keyframe every {interval:.1f} s, "
            f"{mbps:.1f} Mbit/s, in {took:.1f} s (the file is in the page cache for every measurement)"
        )
        print(
            f"sample points lie {behind:.2f} s after their keyframe on average (half a GOP, {interval / 2:.2f} s, "
            "is what a long film gives): that much video is decoded per sample"
        )

        video_hash(path)  # first call pays for lazy FFmpeg initialisation
        timings = []
        for _ in range(args.runs):
            start = time.perf_counter()
            ours = video_hash(path)
            timings.append(time.perf_counter() - start)
        seek = statistics.median(timings)
        print(
            f"{'video_hash (seek, 10 frames)':<34} {seek:7.3f} s/file  median of {args.runs}, "
            f"min {min(timings):.3f}  =  {seek:.3f} s per hour of video (cost per file does not grow with length)"
        )

        through, frames, reference = decode_through(path)
        per_hour = through * 3600 / duration
        print(
            f"{'decode through (PyAV, baseline)':<34} {through:7.3f} s for {frames} frames ({frames / through:.0f} fps)"
            f"  =  {per_hour:.1f} s per hour of video (scaled by 3600 / {duration:.1f})"
        )
        differing = [hamming(a, b) for a, b in zip(ours.frames, reference, strict=False) if a is not None and b]
        # Skipping non-reference frames may land a frame or two past the exact one decoding through finds.
        print(
            f"frames hashed by the two methods differ by {statistics.fmean(differing or [0]):.1f} bits of 64 on "
            f"average, {max(differing, default=0)} at most (a frame or two apart; files match at a mean of "
            f"{PERCEPTUAL_THRESHOLD:g} or less)"
        )
        print(f"per hour of video: decode-through / video_hash = {per_hour / seek:.0f}x; target <= 2 s: {seek:.2f} s")

        if shutil.which("ffmpeg") is None:
            print("ffmpeg CLI is missing: no second baseline. `apt-get install -y ffmpeg` provides it.")
            return
        cli = ffmpeg_frames(path, duration)
        print(f"{'ffmpeg CLI, -ss per frame':<34} {cli:7.3f} s/file  (video_hash is {cli / seek:.1f}x faster)")


if __name__ == "__main__":
    main()
