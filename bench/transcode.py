"""Transcode benchmark: a generated 1080p H.264 source of 60 s into HLS with PyAV, against the ffmpeg CLI.

Run: .venv/bin/python bench/transcode.py [--seconds 60]
Needs no database server. Figures: time to the first 720p segment (target <= 2 s), transcode throughput
against `ffmpeg` with the same codec settings (libx264 veryfast, the same bit rate and keyframe grid,
AAC; target >= 0.9x), and remux speed as a multiple of real time (target >= 50x). The ffmpeg baseline
needs Debian's ffmpeg (`apt-get install -y ffmpeg`).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def first_segment_seconds(source: Path, out: Path) -> float:
    """Seconds from the start of a 720p transcode until its first segment is listed in the playlist."""
    from apps.playback.hls.writer import PLAYLIST, TranscodeStopped, hls_write

    stop = threading.Event()

    def transcode() -> None:
        with contextlib.suppress(TranscodeStopped):  # stopped once the first segment is there
            hls_write(source=source, out_dir=out, plan=session_plan(), should_stop=stop.is_set)

    start = time.perf_counter()
    worker = threading.Thread(target=transcode, daemon=True)
    worker.start()
    playlist = out / PLAYLIST
    while True:
        if playlist.exists() and ".ts" in playlist.read_text():
            elapsed = time.perf_counter() - start
            break
        time.sleep(0.01)
    stop.set()
    worker.join()
    return elapsed


def interleaved(source: Path, target: Path) -> Path:
    """The clip with its packets in time order, as real files are muxed (the factory writes all video first)."""
    import av

    with av.open(str(source)) as src, av.open(str(target), "w") as out:
        streams = {s.index: out.add_stream_from_template(s) for s in src.streams}
        packets = [p for p in src.demux() if p.dts is not None]
        for packet in sorted(packets, key=lambda p: float(p.dts * p.time_base)):
            packet.stream = streams[packet.stream_index]
            out.mux(packet)
    return target


def session_plan():
    """What a playback session transcodes with: 720p on the session grid (three 2 s lead segments, then 6 s)."""
    import dataclasses

    from apps.playback.hls.transcoding import GRID

    return dataclasses.replace(GRID, height=720, video_bitrate=2_800_000)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    args = parser.parse_args()
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "revenge.settings")
    django.setup()
    from apps.core.testing.media import make_clip
    from apps.playback.hls.transcoding import segment_durations
    from apps.playback.hls.writer import HlsPlan, hls_write

    work = Path(tempfile.mkdtemp(prefix="revenge-bench-transcode-"))
    try:
        started = time.perf_counter()
        source = make_clip(
            work / "source.mkv", width=1920, height=1080, seconds=args.seconds, fps=24, pattern=7, bit_rate=8_000_000
        )
        source = interleaved(source, work / "source-interleaved.mkv")
        made = time.perf_counter() - started
        print(f"source    1080p H.264 + AAC, {args.seconds:.0f} s at 24 fps, made in {made:.1f} s")

        first = first_segment_seconds(source, work / "first")
        print(f"hls       first 720p segment     {first:8.2f} s  (target <= 2 s)")

        plan = session_plan()
        started = time.perf_counter()
        hls_write(source=source, out_dir=work / "ours", plan=plan)
        ours = time.perf_counter() - started
        print(f"hls       720p transcode, PyAV   {ours:8.2f} s  ({args.seconds / ours:.1f}x real time)")

        ffmpeg = shutil.which("ffmpeg")
        if ffmpeg:
            gop = 24 * plan.segment_seconds * 4
            grid = [sum(segment_durations(args.seconds)[:n]) for n in range(len(segment_durations(args.seconds)))]
            (work / "theirs").mkdir()
            command = [
                ffmpeg, "-v", "error", "-y", "-i", str(source),
                "-map", "0:v:0", "-map", "0:a:0",
                "-vf", "scale=-2:720", "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p",
                "-b:v", str(plan.video_bitrate), "-maxrate", str(plan.video_bitrate),
                "-bufsize", str(plan.video_bitrate * 2),
                "-x264-params", f"keyint={gop}:scenecut=0:bframes=0",
                "-force_key_frames", ",".join(f"{t:g}" for t in grid),
                "-c:a", "aac", "-b:a", str(plan.audio_bitrate), "-ac", "2", "-ar", "48000",
                "-f", "hls", "-hls_time", str(plan.cut_seconds), "-hls_playlist_type", "event",
                "-hls_segment_filename", str(work / "theirs" / "segment_%05d.ts"), str(work / "theirs" / "index.m3u8"),
            ]  # fmt: skip
            started = time.perf_counter()
            subprocess.run(command, check=True)
            theirs = time.perf_counter() - started
            print(f"hls       720p transcode, ffmpeg {theirs:8.2f} s  ({args.seconds / theirs:.1f}x real time)")
            print(f"ratio     PyAV / ffmpeg speed    {theirs / ours:8.2f}x  (target >= 0.9x)")
        else:
            print("hls       ffmpeg baseline        missing: apt-get install -y ffmpeg")

        started = time.perf_counter()
        hls_write(source=source, out_dir=work / "remux", plan=HlsPlan(transcode_video=False, transcode_audio=False))
        remux = time.perf_counter() - started
        speed = args.seconds / remux
        print(f"hls       remux                  {remux:8.2f} s  ({speed:.0f}x real time, target >= 50x)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
