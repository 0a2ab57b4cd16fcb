"""Console dashboard benchmark: the admin index with 20 live sessions, 5 running scans and 100,000 titles, and each
panel's live refresh (what htmx asks for every 2 s).

Run: .venv/bin/python bench/console.py [--items 100000] [--requests 100]
Needs PostgreSQL on 127.0.0.1 (DATABASE_URL's server; a `revenge_bench_console` database is created and dropped)
and Redis (REDIS_URL, default redis://127.0.0.1:6379/15, cleared at start). Targets (issue 18): the dashboard in
<= 150 ms server time and <= 25 queries, each refresh <= 30 ms. The baseline, measured in the same run, is a stock
admin page: the changelist of libraries. Times are per request in this process (Django's test client, no network):
wall time and CPU time (time.process_time), which is steadier on a busy machine.
"""

from __future__ import annotations

import argparse
import os
import secrets
import statistics
import tempfile
import time
from pathlib import Path

import benchdb

benchdb.BENCH_DB = "revenge_bench_console"  # its own database: other benchmarks may run at the same time
DEFAULT_REDIS = "redis://127.0.0.1:6379/15"
LIBRARIES, SESSIONS, SCANS = 5, 20, 5
TARGET_MS, TARGET_QUERIES, TARGET_REFRESH_MS = 150, 25, 30
PANELS = ("now-playing", "work", "attention", "libraries")
CPROFILE = bool(os.environ.get("BENCH_CPROFILE"))  # --profile with cProfile's cumulative table instead
SHOW_SLOWEST = 0  # --slowest N: the N queries that took longest per page, mean ms per request


def build(scratch: Path, items: int):
    """Admin, moderator, 5 libraries of `items` movies (a file and a video stream each), 20 live sessions over 20
    users (a third transcoding), one running scan per library, posters on the newest titles."""
    from django.db import connection
    from django.utils import timezone

    from apps.accounts.models import Role
    from apps.accounts.services import users
    from apps.libraries import services as libraries
    from apps.libraries.models import LibraryScan
    from apps.media.models import Artwork, MediaFile, MediaStream, Movie
    from apps.playback.models import PlaybackSession

    admin = users.user_create(
        username="bench-admin", password=secrets.token_urlsafe(), by=None, role=Role.objects.get(group__name="admin")
    )
    moderator = users.user_create(
        username="bench-mod", password=secrets.token_urlsafe(), by=None, role=Role.objects.get(group__name="moderator")
    )
    viewers = [
        users.user_create(username=f"viewer{i:02d}", password=secrets.token_urlsafe(), by=None) for i in range(SESSIONS)
    ]
    libs = []
    for i in range(LIBRARIES):
        (scratch / f"lib{i}").mkdir()
        libs.append(libraries.library_create(name=f"Movies {i}", kind="movies", paths=[str(scratch / f"lib{i}")]))
    movies = Movie.objects.bulk_create(
        [
            Movie(
                library=libs[i % LIBRARIES],
                match_key=f"m{i}",
                title=f"Movie {i:06d}",
                year=1950 + i % 75,
                has_main_file=True,
            )
            for i in range(items)
        ],
        batch_size=5000,
    )
    files = MediaFile.objects.bulk_create(
        [
            MediaFile(
                library_id=m.library_id,
                path=f"/media/{m.library_id}/{m.title}.mkv",
                size=4_200_000_000,
                mtime_ns=0,
                container="matroska",
                probe_status="ok",
                movie=m,
                duration=6727.0,
                bitrate=8_100_000,
            )
            for m in movies
        ],
        batch_size=5000,
    )
    MediaStream.objects.bulk_create(
        [MediaStream(file=f, index=0, type="video", codec="hevc", width=3840, height=2160) for f in files],
        batch_size=5000,
    )
    Artwork.objects.bulk_create(
        [Artwork(movie=m, kind="poster", path="poster.jpg", content_hash=secrets.token_hex(32)) for m in movies[-200:]]
    )
    now = timezone.now()
    for i, viewer in enumerate(viewers):
        file = files[i * 997 % items]
        transcode = i % 3 == 0
        PlaybackSession.objects.create(
            user=viewer,
            media_file=file,
            movie_id=file.movie_id,
            title=f"Movie {i}",
            device=f"TV {i}",
            method="transcode" if transcode else "direct",
            transcode_state="running" if transcode else "",
            width=1920 if transcode else 3840,
            height=1080 if transcode else 2160,
            bitrate=8_000_000 if transcode else 8_100_000,
            position=60.0 * i,
            duration=6727.0,
            decision={"reasons": ["the client cannot decode hevc"] if transcode else []},
        )
    for library in libs[:SCANS]:
        LibraryScan.objects.create(
            library=library,
            status="running",
            walked=True,
            seen=items // LIBRARIES,
            to_index=5000,
            indexed=1234,
            started_at=now,
        )
    with connection.cursor() as cursor:
        cursor.execute("UPDATE media_movie SET added_at = now() - (id % 3650) * interval '1 day'")
        cursor.execute("ANALYZE")
    return admin, moderator


def measure(client, url: str, requests: int, **headers) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(3):  # warm up: connection, session, caches
        response = client.get(url, **headers)
        assert response.status_code == 200, (url, response.status_code)
    walls, cpus, queries = [], [], []
    slowest: dict[str, float] = {}
    for _ in range(requests):
        with CaptureQueriesContext(connection) as ctx:
            wall, cpu = time.perf_counter(), time.process_time()
            response = client.get(url, **headers)
            cpus.append((time.process_time() - cpu) * 1000)
            walls.append((time.perf_counter() - wall) * 1000)
        queries.append(len(ctx.captured_queries))
        for query in ctx.captured_queries:
            slowest[query["sql"][:150]] = slowest.get(query["sql"][:150], 0.0) + float(query["time"]) * 1000 / requests
    walls.sort()
    if SHOW_SLOWEST:
        for sql, ms in sorted(slowest.items(), key=lambda item: -item[1])[:SHOW_SLOWEST]:
            print(f"      {ms:6.1f} ms  {sql}")
    return {
        "wall_p50": statistics.median(walls),
        "wall_p95": walls[min(len(walls) - 1, int(len(walls) * 0.95))],
        "cpu_p50": statistics.median(cpus),
        "queries": max(queries),
    }


def line(name: str, row: dict, baseline: dict | None, target_ms: float, target_queries: int | None) -> str:
    ratio = f"{row['cpu_p50'] / baseline['cpu_p50']:.2f}x baseline CPU" if baseline else "baseline"
    ok = row["cpu_p50"] <= target_ms and (target_queries is None or row["queries"] <= target_queries)
    goal = f"<= {target_ms} ms" + (f", <= {target_queries} queries" if target_queries else "")
    return (
        f"  {name:24} CPU p50 {row['cpu_p50']:6.1f} ms  wall p50 {row['wall_p50']:6.1f} ms  p95 {row['wall_p95']:6.1f}"
        f" ms  {row['queries']:3d} queries  ({ratio}; target {goal}: {'ok' if ok else 'MISS'})"
    )


def profile(user, name: str, requests: int) -> None:
    """pyinstrument over `requests` requests of one page, as the admin."""
    from django.test import Client
    from pyinstrument import Profiler

    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    url = "/admin/" if name == "dashboard" else f"/admin/console/panels/{name}/"
    for _ in range(3):
        client.get(url, HTTP_HX_REQUEST="true")
    if CPROFILE:
        import cProfile
        import pstats

        with cProfile.Profile() as cprofile:
            for _ in range(requests):
                client.get(url, HTTP_HX_REQUEST="true")
        pstats.Stats(cprofile).sort_stats("cumulative").sort_stats("tottime").print_stats(30)
        return
    profiler = Profiler(interval=0.0005)
    with profiler:
        for _ in range(requests):
            client.get(url, HTTP_HX_REQUEST="true")
    print(profiler.output_text(unicode=False, color=False, show_all=False))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--items", type=int, default=100_000, help="Movies in the catalogue.")
    parser.add_argument("--requests", type=int, default=100, help="Requests per page measured.")
    parser.add_argument("--slowest", type=int, default=0, help="Print the N slowest queries of each page.")
    parser.add_argument("--profile", default="", help="A panel name (or 'dashboard'): pyinstrument's profile of it.")
    args = parser.parse_args()
    global SHOW_SLOWEST
    SHOW_SLOWEST = args.slowest
    redis_default = not os.environ.get("REDIS_URL")
    os.environ.setdefault("REDIS_URL", DEFAULT_REDIS)
    with benchdb.bench_database(REVENGE_RATE_LIMIT="1000000/min"):
        from django.core.cache import cache
        from django.test import Client

        if redis_default:
            cache.clear()
        with tempfile.TemporaryDirectory(prefix="revenge-bench-console-") as scratch:
            start = time.perf_counter()
            admin, moderator = build(Path(scratch), args.items)
            print(
                f"{args.items:,} movies, {SESSIONS} live sessions, {SCANS} running scans "
                f"(built in {time.perf_counter() - start:.1f} s)"
            )
            if args.profile:
                profile(admin, args.profile, args.requests)
                return
            for who, user in (("admin", admin), ("moderator", moderator)):
                client = Client(HTTP_HOST="localhost")
                client.force_login(user)
                print(f"as {who}:")
                baseline = measure(client, "/admin/libraries/library/", args.requests)
                print(line("stock changelist", baseline, None, TARGET_MS, None))
                print(
                    line(
                        "dashboard /admin/",
                        measure(client, "/admin/", args.requests),
                        baseline,
                        TARGET_MS,
                        TARGET_QUERIES,
                    )
                )
                for panel in PANELS:
                    row = measure(client, f"/admin/console/panels/{panel}/", args.requests, HTTP_HX_REQUEST="true")
                    print(line(f"refresh {panel}", row, baseline, TARGET_REFRESH_MS, None))


if __name__ == "__main__":
    main()
