"""Cache benchmark: CPU time and queries per request of the cached reads, served from the cache vs computed.

Run: .venv/bin/python bench/cache.py [--movies 5000] [--requests 200]
Needs PostgreSQL on 127.0.0.1 (DATABASE_URL overrides; a `revenge_bench_cache` database is created and dropped)
and Redis (REDIS_URL, default redis://127.0.0.1:6379/13, which is cleared at start).
The baseline, measured in the same run on the same requests, is each answer computed: before every request the
scope its entry depends on is bumped, as the event of a change would (the rest, sign-in and settings, stays
cached on both sides). CPU is this process's time (time.process_time), which the database's work is not part of.
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

DEFAULT_REDIS = "redis://127.0.0.1:6379/13"
LIBRARIES, GRANTED = 10, 5
AGES = [0, 7, 10, 13, 17, None]


def build(scratch: Path, movies: int):
    """Ten libraries (five granted to a kids role limited to 13), `movies` movies, a show, progress."""
    from apps.accounts.services import roles, users
    from apps.libraries import services as libraries
    from apps.media.models import Episode, MediaFile, Movie, Season, Show
    from apps.playback import watch

    role = roles.role_create(name="bench-kids", rank=15, by=None, max_parental_age=13)
    kid = users.user_create(username="bench-kid", password=secrets.token_urlsafe(), by=None, role=role)
    libs = []
    for i in range(LIBRARIES):
        (scratch / f"l{i}").mkdir()
        kind = "shows" if i == 0 else "movies"
        libs.append(libraries.library_create(name=f"Lib {i}", kind=kind, paths=[str(scratch / f"l{i}")]))
    for i, library in enumerate(libs):
        libraries.library_grants_set(
            library=library, roles={"bench-kids": ["view_library"]} if i < GRANTED else {}, users={}, by=None
        )
    rows = Movie.objects.bulk_create(
        [
            Movie(
                library=libs[1 + i % (LIBRARIES - 1)],
                match_key=f"m{i}",
                title=f"Movie {i:06d} {'matrix' if i % 97 == 0 else 'heat'}",
                year=1950 + i % 75,
                age_rating=AGES[i % len(AGES)],
                has_main_file=True,
            )
            for i in range(movies)
        ],
        batch_size=5000,
    )
    MediaFile.objects.bulk_create(
        [
            MediaFile(library_id=m.library_id, movie=m, path=f"/x/{m.pk}.mkv", size=10**9, mtime_ns=0, duration=6000)
            for m in rows
        ],
        batch_size=5000,
    )
    show = Show.objects.create(library=libs[0], match_key="lost", title="Lost", year=2004)
    for s in (1, 2):
        season = Season.objects.create(show=show, season_number=s)
        for e in range(1, 11):
            Episode.objects.create(show=show, season=season, episode_number=e, match_key=f"{s}-{e}")
    first = Episode.objects.get(season__show=show, season__season_number=1, episode_number=1)
    watch.watched_set(user=kid, episode=first, watched=True)
    for movie in Movie.objects.filter(library__in=libs[1:GRANTED], age_rating__lte=13)[:20]:
        watch.watched_set(user=kid, movie=movie, watched=False)
    from apps.playback.models import WatchState

    WatchState.objects.filter(user=kid, movie__isnull=False).update(position=900, duration=6000)
    visible_movie = Movie.objects.filter(library__in=libs[1:GRANTED], age_rating__lte=13).first()
    return kid, libs, visible_movie


def measure(client, url: str, requests: int, before=None) -> tuple[float, float, float]:
    """Mean CPU ms, median wall ms and mean queries per request; `before()` runs untimed before each one."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(3):
        if before:
            before()
        assert client.get(url).status_code == 200, url
    cpu, wall, queries = [], [], []
    for _ in range(requests):
        if before:
            before()
        with CaptureQueriesContext(connection) as ctx:
            c0, w0 = time.process_time(), time.perf_counter()
            response = client.get(url)
            cpu.append((time.process_time() - c0) * 1000)
            wall.append((time.perf_counter() - w0) * 1000)
        queries.append(len(ctx.captured_queries))
        assert response.status_code == 200, (url, response.status_code)
    return statistics.mean(cpu), statistics.median(wall), statistics.mean(queries)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--movies", type=int, default=5000)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    benchdb.BENCH_DB = "revenge_bench_cache"  # not the other benchmarks' database: they may run at the same time
    os.environ.setdefault("REDIS_URL", DEFAULT_REDIS)
    with (
        tempfile.TemporaryDirectory() as scratch,
        benchdb.bench_database(REVENGE_DATA_DIR=scratch, REVENGE_RATE_LIMIT="10000000/min"),
    ):
        from django.core.cache import cache
        from django.test import Client

        from apps.core import caching

        cache.clear()
        kid, libs, movie = build(Path(scratch), args.movies)
        client = Client()
        client.force_login(kid)
        granted = [caching.library(lib.pk) for lib in libs[:GRANTED]]

        def bump(*names):
            return lambda: [caching.bump(name) for name in names]

        cases = [
            ("movie detail", f"/api/v1/movies/{movie.pk}/", bump(caching.item("movie", movie.pk))),
            ("search", "/api/v1/search/?q=matrix", bump(*granted)),
            ("movie list count", "/api/v1/movies/?ordering=-added_at", bump(*granted)),
            ("continue watching", "/api/v1/playback/continue-watching/", bump(caching.watching(kid.pk))),
            ("next up", "/api/v1/playback/next-up/", bump(caching.watching(kid.pk))),
            ("recently added", f"/api/v1/libraries/{libs[1].pk}/recent/", bump(granted[1])),
            ("library stats", f"/api/v1/libraries/{libs[1].pk}/stats/", bump(granted[1])),
        ]
        print(f"{args.movies} movies, {args.requests} requests each; wall figures were taken on a loaded machine")
        print(f"{'read':20} {'cached cpu ms':>14} {'computed cpu ms':>16} {'ratio':>6} {'queries':>12} {'wall ms':>14}")
        for name, url, stale in cases:
            hot = measure(client, url, args.requests)
            cold = measure(client, url, args.requests, before=stale)
            print(
                f"{name:20} {hot[0]:14.2f} {cold[0]:16.2f} {cold[0] / hot[0]:6.1f} "
                f"{hot[2]:5.1f} / {cold[2]:4.1f} {hot[1]:6.2f} / {cold[1]:5.2f}"
            )


if __name__ == "__main__":
    main()
