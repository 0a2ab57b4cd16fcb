"""Playback session benchmark: from `POST /api/v1/playback/sessions/` to the first 720p segment in hand.

Run: .venv/bin/python bench/session.py [--seconds 60]
Needs PostgreSQL and Redis on 127.0.0.1 (DATABASE_URL and REDIS_URL override; a `revenge_bench` database
is created and dropped). The whole path a player takes: the API decides and queues the transcode on Redis,
a Celery worker (threads, in this process) picks it up, and the segment request waits for the file. Also a
seek: a cold request for a segment a minute in, which restarts the transcode there. The baseline, in the
same run: hls_write called directly until its first segment (no API, no queue).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

from benchdb import bench_database

sys.path.insert(0, str(Path(__file__).resolve().parent))


def run(seconds: float) -> None:
    from celery.contrib.testing.worker import start_worker
    from django.conf import settings
    from rest_framework.test import APIClient
    from transcode import first_segment_seconds, interleaved

    from apps.accounts.services import users
    from apps.core.testing.media import make_clip
    from apps.libraries import services as libraries
    from apps.media.models import MediaFile
    from apps.playback.hls.transcoding import grid_position, segment_at
    from apps.scanning import services as scanning
    from revenge.celery import app

    work = Path(tempfile.mkdtemp(prefix="revenge-bench-session-"))
    settings.TRANSCODE_DIR = work / "transcode"
    try:
        raw = make_clip(
            work / "raw.mkv", width=1920, height=1080, seconds=seconds, fps=24, pattern=7, bit_rate=8_000_000
        )
        folder = work / "movies" / "Bench (2020)"
        folder.mkdir(parents=True)
        interleaved(raw, folder / "Bench (2020).mkv")
        library = libraries.library_create(name="Movies", kind="movies", paths=[str(work / "movies")])
        scanning.scan_run(scan=scanning.scan_begin(library=library))
        media_file = MediaFile.objects.get()
        viewer = users.user_create(username="viewer", password="x" * 16, by=None)
        client = APIClient()
        client.force_authenticate(viewer)
        direct = first_segment_seconds(Path(media_file.path), work / "direct")
        print(f"baseline  hls_write, first 720p segment      {direct:6.2f} s")
        with start_worker(app, pool="threads", concurrency=2, perform_ping_check=False, queues=["transcode"]):
            seek = min(48.0, seconds - 10)
            # The last: the 1 s part of a playlist asked from the seek (?from=), where the restart begins.
            part = "{:05d}_{}".format(*grid_position(seek, seconds))
            for label, segment in (
                ("first segment", 0),
                (f"seek to {seek:.0f} s", segment_at(seek)),
                (f"seek {seek:.0f} s, part", part),
            ):
                body = {"file": media_file.pk, "profile": "720p", "device_profile": "browser", "containers": "webm"}
                started = time.perf_counter()
                session = client.post("/api/v1/playback/sessions/", body, format="json").json()
                base = session["master_url"].split("/api/v1/", 1)[1].rsplit("/", 1)[0]
                name = segment if isinstance(segment, str) else f"{segment:05d}"
                answer = client.get(f"/api/v1/{base}/{session['profile']}/segment_{name}.ts")
                elapsed = time.perf_counter() - started
                assert answer.status_code == 200, answer.content[:200]
                print(f"session   POST to {label:<16} (segment {name})  {elapsed:6.2f} s  (target <= 2 s)")
                client.post(f"/api/v1/playback/sessions/{session['id']}/stop/", {}, format="json")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    args = parser.parse_args()
    with bench_database(REDIS_URL="redis://127.0.0.1:6379/2"):
        run(args.seconds)


if __name__ == "__main__":
    main()
