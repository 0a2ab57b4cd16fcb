"""Probe benchmark: apps.media.probe.file_probe in-process vs one `ffprobe` subprocess per file.

Run: .venv/bin/python bench/probe.py [--files 200] [--ffprobe-files 50] [--kind movies|shows]
Needs no Django settings or database; the ffprobe baseline needs Debian's ffmpeg (`apt-get install -y ffmpeg`).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from apps.core.testing.media import SAMPLES, make_corpus, make_sample  # noqa: E402
from apps.media.probe import file_probe  # noqa: E402


def time_each(files: list[Path], run) -> list[float]:
    """Milliseconds per call of run(path), in order."""
    timings = []
    for path in files:
        start = time.perf_counter()
        run(path)
        timings.append((time.perf_counter() - start) * 1000)
    return timings


def describe(label: str, timings: list[float]) -> float:
    mean = statistics.fmean(timings)
    print(
        f"{label:<28} {mean:8.2f} ms/file  median {statistics.median(timings):7.2f}  "
        f"max {max(timings):7.2f}  ({len(timings)} files)"
    )
    return mean


def run_ffprobe(path: Path) -> None:
    subprocess.run(
        ["ffprobe", "-v", "error", "-show_format", "-show_streams", "-of", "json", str(path)],
        check=True,
        stdout=subprocess.DEVNULL,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=200)
    parser.add_argument("--ffprobe-files", type=int, default=50)
    parser.add_argument("--kind", choices=("movies", "shows"), default="movies")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="revenge-bench-probe-") as tmp:
        start = time.perf_counter()
        corpus = make_corpus(Path(tmp) / "corpus", args.files, kind=args.kind)
        samples = [make_sample(name, Path(tmp) / "samples") for name in SAMPLES]
        print(f"generated {len(corpus)} corpus files + {len(samples)} samples in {time.perf_counter() - start:.2f} s")

        file_probe(corpus[0])  # first call pays for lazy FFmpeg initialisation
        ours = describe("file_probe (PyAV, in-process)", time_each(corpus, file_probe))
        describe("file_probe, codec samples", time_each(samples * 10, file_probe))

        if shutil.which("ffprobe") is None:
            print("ffprobe is missing: no baseline. `apt-get install -y ffmpeg` provides it.")
            return
        version = subprocess.run(["ffprobe", "-version"], capture_output=True, text=True, check=True).stdout
        subset = corpus[: args.ffprobe_files]
        baseline = describe("ffprobe subprocess", time_each(subset, run_ffprobe))
        ours_subset = statistics.fmean(time_each(subset, file_probe))
        print(f"({version.splitlines()[0]})")
        print(f"ffprobe / file_probe on the same {len(subset)} files: {baseline / ours_subset:.1f}x")
        print(f"file_probe mean over all {len(corpus)} files: {ours:.2f} ms")


if __name__ == "__main__":
    main()
