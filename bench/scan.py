"""Scan benchmark: probe vs ffprobe, initial scan, unchanged rescan of 100,000 files, name parsing.

Run: .venv/bin/python bench/scan.py [--files 2000] [--rescan-files 100000]
Needs PostgreSQL on 127.0.0.1 (DATABASE_URL overrides; a `revenge_bench` database is created and
dropped) and, for the baseline, Debian's ffmpeg package (`apt-get install -y ffmpeg`).
Every figure is printed with its baseline, measured in the same run.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from benchdb import ROOT, bench_database


def bench_probe(files: list[Path], ffprobe_count: int) -> None:
    from apps.media.probe import file_probe

    start = time.perf_counter()
    for path in files:
        file_probe(path)
    ours = (time.perf_counter() - start) / len(files) * 1000
    print(f"probe     PyAV in-process        {ours:8.2f} ms/file  ({len(files)} files)")
    ffprobe = shutil.which("ffprobe")
    if not ffprobe:
        print("probe     ffprobe baseline       missing: apt-get install -y ffmpeg")
        return
    sample = files[:ffprobe_count]
    start = time.perf_counter()
    for path in sample:
        subprocess.run(
            [ffprobe, "-v", "error", "-show_format", "-show_streams", "-of", "json", str(path)],
            check=True,
            capture_output=True,
        )
    theirs = (time.perf_counter() - start) / len(sample) * 1000
    print(f"probe     ffprobe per file       {theirs:8.2f} ms/file  ({len(sample)} files)")
    print(f"probe     ratio                  {theirs / ours:8.1f}x faster in-process (target >= 50x)")


def bench_initial_scan(folder: Path, count: int) -> None:
    from apps.core.testing.media import make_corpus
    from apps.libraries import services
    from apps.scanning import services as scanning

    make_corpus(folder, count, kind="movies")
    library = services.library_create(name="bench-initial", kind="movies", paths=[str(folder)])
    start = time.perf_counter()
    scan = scanning.scan_run(scan=scanning.scan_begin(library=library))
    elapsed = time.perf_counter() - start
    assert scan.added == count and scan.errors == 0, (scan.added, scan.errors)
    print(f"scan      initial, {count} files      {elapsed:8.2f} s  = {count / elapsed:7.0f} files/s (target >= 500)")
    start = time.perf_counter()
    again = scanning.scan_run(scan=scanning.scan_begin(library=library))
    elapsed_again = time.perf_counter() - start
    assert again.unchanged == count
    speedup = elapsed / elapsed_again
    print(f"scan      rescan, unchanged       {elapsed_again:8.2f} s  ({speedup:.0f}x faster than the first)")


def bench_unchanged_rescan(folder: Path, count: int, clips: list[Path]) -> None:
    """Hard links to a few clips (one file takes at most 65,000), rows as a finished scan leaves them, a rescan."""
    from apps.libraries import services
    from apps.media.models import MediaFile
    from apps.scanning import services as scanning
    from apps.scanning.walker import walk

    library = services.library_create(name="bench-rescan", kind="movies", paths=[str(folder)])
    rows = []
    for i in range(count):
        movie, version = divmod(i, 10)
        name = f"Movie {movie:05d} ({1950 + movie % 70})"
        if version == 0:
            (folder / name).mkdir()
        path = folder / name / f"{name} - v{version}.mkv"
        os.link(clips[i % len(clips)], path)
        st = path.stat()
        rows.append(
            MediaFile(
                library=library,
                path=str(path),
                size=st.st_size,
                mtime_ns=st.st_mtime_ns,
                device=st.st_dev,
                inode=st.st_ino,
                probe_status="ok",
            )
        )
    MediaFile.objects.bulk_create(rows, batch_size=5000)
    start = time.perf_counter()
    walk_only = sum(1 for _ in walk(str(folder)))
    walk_seconds = time.perf_counter() - start
    start = time.perf_counter()
    scan = scanning.scan_run(scan=scanning.scan_begin(library=library))
    elapsed = time.perf_counter() - start
    assert scan.unchanged == count and scan.added == 0, (scan.unchanged, scan.added)
    print(f"scan      walk only, {walk_only} files  {walk_seconds:8.2f} s  (baseline: os.scandir + stat)")
    print(
        f"scan      rescan, {count} unchanged {elapsed:8.2f} s  (target <= 5 s; {elapsed / walk_seconds:.1f}x the walk)"
    )


def bench_naming() -> None:
    import json

    from apps.scanning.naming import parse_path

    corpus_file = ROOT / "apps/scanning/tests/naming_corpus.json"
    cases = [(c["path"], c["kind_of_library"]) for c in json.loads(corpus_file.read_text())]
    parsed = 0
    start = time.perf_counter()
    while time.perf_counter() - start < 2.0:
        for path, kind in cases:
            parse_path(path, library_kind=kind)
        parsed += len(cases)
    rate = parsed / (time.perf_counter() - start)
    print(f"naming    {len(cases)} corpus names       {rate:8.0f} names/s on one core (target >= 2,000)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--rescan-files", type=int, default=100_000)
    parser.add_argument("--ffprobe-files", type=int, default=50)
    args = parser.parse_args()
    with bench_database(), tempfile.TemporaryDirectory(prefix="revenge-bench-") as scratch:
        scratch_dir = Path(scratch)
        bench_naming()
        bench_initial_scan(scratch_dir / "initial", args.files)
        files = sorted((scratch_dir / "initial").rglob("*.mkv"))[:200]
        bench_probe(files, args.ffprobe_files)
        (scratch_dir / "rescan").mkdir()
        bench_unchanged_rescan(scratch_dir / "rescan", args.rescan_files, files[:10])


if __name__ == "__main__":
    main()
