"""Permission cost benchmark: movie lists for a restricted user vs the superuser, at growing catalogue sizes.

Run: .venv/bin/python bench/permissions.py [--sizes 1000,100000] [--requests 500]
Needs PostgreSQL on 127.0.0.1 (DATABASE_URL overrides; a `revenge_bench` database is created and dropped)
and Redis (REDIS_URL, default redis://127.0.0.1:6379/15, which is cleared at start).
The restricted user's role sees 5 of 20 libraries, up to age 13; the baseline, measured in the same run,
is the superuser, who has no grants or limits to check.
"""

from __future__ import annotations

import argparse
import gc
import os
import secrets
import statistics
import tempfile
import time
from pathlib import Path

from benchdb import bench_database

DEFAULT_REDIS = "redis://127.0.0.1:6379/15"
LIBRARIES, GRANTED = 20, 5
ROLE_NAME = "bench-kids"
MAX_AGE = 13
AGES = [0, 7, 10, 13, 17, 18, None]
CERTIFICATIONS = {0: "G", 7: "PG", 10: "PG", 13: "PG-13", 17: "R", 18: "NC-17", None: ""}
GENRES = ["Action", "Animation", "Comedy", "Documentary", "Drama", "Family", "Horror", "Science Fiction"]
URLS = {
    "list": "/api/v1/movies/",
    "filtered": "/api/v1/movies/?resolution=1080p&ordering=-added_at&year_min=1990",
}
TARGET_P99_MS, TARGET_QUERIES = 50, 8


def setup_people(scratch: Path) -> tuple:
    """20 movie libraries, a superuser, and a role limited to 5 libraries and age 13 with one user."""
    from apps.accounts.models import Role
    from apps.accounts.services import roles, users
    from apps.libraries import services as libraries

    admin = users.user_create(
        username="bench-admin", password=secrets.token_urlsafe(), by=None, role=Role.objects.get(group__name="admin")
    )
    assert admin.is_superuser
    role = roles.role_create(name=ROLE_NAME, rank=15, by=None, max_parental_age=MAX_AGE)
    kid = users.user_create(username="bench-kid", password=secrets.token_urlsafe(), by=None, role=role)
    libs = []
    for i in range(LIBRARIES):
        folder = scratch / f"lib{i:02d}"
        folder.mkdir()
        libs.append(libraries.library_create(name=f"Movies {i:02d}", kind="movies", paths=[str(folder)]))
    for i, library in enumerate(libs):
        granted = {ROLE_NAME: ["view_library"]} if i < GRANTED else {}
        libraries.library_grants_set(library=library, roles=granted, users={}, by=admin)
    return admin, kid, libs


def build_catalogue(libs: list, count: int) -> int:
    """`count` movies with one main file and one 1080p h264 stream each; returns how many the kid may see."""
    from django.db import connection

    from apps.media.models import Genre, MediaFile, MediaStream, Movie

    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE media_movie, media_movie_genres, media_mediafile, media_mediastream, media_genre "
            "RESTART IDENTITY CASCADE"
        )
    genres = Genre.objects.bulk_create([Genre(name=name) for name in GENRES])
    movies, visible = [], 0
    for i in range(count):
        library, age = libs[i % LIBRARIES], AGES[i % len(AGES)]  # 20 and 7 are coprime: every age in every library
        title = f"Movie {i:06d}"
        movies.append(
            Movie(
                library=library,
                match_key=f"movie-{i}",
                title=title,
                sort_title=title,
                year=1950 + (i * 7) % 75,
                certification=CERTIFICATIONS[age],
                age_rating=age,
                has_main_file=True,  # as the scanner leaves it: each gets a main file below
            )
        )
        visible += i % LIBRARIES < GRANTED and (age is None or age <= MAX_AGE)
    movies = Movie.objects.bulk_create(movies, batch_size=5000)
    files = MediaFile.objects.bulk_create(
        [
            MediaFile(
                library_id=m.library_id,
                path=f"/media/{m.library_id}/{m.title}/{m.title}.mkv",
                size=4_000_000_000,
                mtime_ns=0,
                container="matroska",
                probe_status="ok",
                movie=m,
                extra_type="",
            )
            for m in movies
        ],
        batch_size=5000,
    )
    MediaStream.objects.bulk_create(
        [MediaStream(file=f, index=0, type="video", codec="h264", width=1920, height=1080) for f in files],
        batch_size=5000,
    )
    through = Movie.genres.through
    links = []
    for i, m in enumerate(movies):
        for k in range(i % 3):  # none, one or two genres
            links.append(through(movie_id=m.pk, genre_id=genres[(i + k * 3) % len(genres)].pk))
    through.objects.bulk_create(links, batch_size=5000)
    with connection.cursor() as cursor:
        # auto_now_add gives every row the same instant: spread them over ten years, as a real catalogue would be.
        cursor.execute("UPDATE media_movie SET added_at = now() - (id % 3650) * interval '1 day'")
        cursor.execute("ANALYZE")
    return visible


def measure(client, url: str, requests: int, budget: float) -> tuple[float, float, float, int, int]:
    """p50 ms, p99 ms, mean queries per request, the `count` of the last answer, and requests made."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(5):  # warm up: caches, connection, the session
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code, response.content[:300])
    times, queries = [], []
    deadline = time.perf_counter() + budget
    for _ in range(requests):
        if time.perf_counter() > deadline:
            break
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - start) * 1000)
        queries.append(len(ctx.captured_queries))
    times.sort()
    p99 = times[min(len(times) - 1, int(len(times) * 0.99))]
    return statistics.median(times), p99, statistics.mean(queries), response.json()["count"], len(times)


def bench_size(admin, kid, libs: list, count: int, args) -> dict:
    from django.test import Client

    start = time.perf_counter()
    visible = build_catalogue(libs, count)
    print(f"\nN={count:,} movies (built in {time.perf_counter() - start:.1f} s; the kid may see {visible:,})")
    if args.gc_freeze:
        gc.collect()
        gc.freeze()
    results = {}
    for name, url in URLS.items():
        row = {}
        for who, user in (("admin", admin), ("kid", kid)):
            client = Client(HTTP_HOST="localhost")
            client.force_login(user)
            row[who] = measure(client, url, args.requests, args.budget)
        p50, p99, queries, seen, made = row["kid"]
        a50, a99, aqueries, _, amade = row["admin"]
        if name == "list":
            assert seen == visible, (seen, visible)
        ok = "ok" if p99 <= TARGET_P99_MS and queries <= TARGET_QUERIES else "MISS"
        print(
            f"  {name:8} superuser   p50 {a50:7.1f} ms  p99 {a99:7.1f} ms  {aqueries:4.1f} queries  "
            f"(baseline, {amade} requests)\n"
            f"  {name:8} restricted  p50 {p50:7.1f} ms  p99 {p99:7.1f} ms  {queries:4.1f} queries  ({made} requests; "
            f"{p99 / a99:.2f}x the baseline p99; target p99 <= {TARGET_P99_MS} ms, <= {TARGET_QUERIES} queries: {ok})"
        )
        results[name] = row
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,100000", help="Catalogue sizes, comma-separated.")
    parser.add_argument("--requests", type=int, default=500, help="Requests per URL and user.")
    parser.add_argument("--budget", type=float, default=40, help="Seconds at most per URL and user.")
    parser.add_argument("--gc-freeze", action="store_true", help="gc.freeze() before measuring, as a server could.")
    args = parser.parse_args()
    sizes = sorted(int(s) for s in args.sizes.split(","))
    redis_default = not os.environ.get("REDIS_URL")
    os.environ.setdefault("REDIS_URL", DEFAULT_REDIS)
    # 500 requests a series from one address: the per-IP limit would answer 429, which is not what is measured.
    with bench_database(REVENGE_RATE_LIMIT="1000000/min"):
        from django.core.cache import cache

        if redis_default:
            cache.clear()
        with tempfile.TemporaryDirectory(prefix="revenge-bench-") as scratch:
            admin, kid, libs = setup_people(Path(scratch))
            results = {n: bench_size(admin, kid, libs, n, args) for n in sizes}
        small, large = results[sizes[0]], results[sizes[-1]]
        parts = [
            f"{name} {who} {large[name][who][1] / small[name][who][1]:.2f}x"
            for name in URLS
            for who in ("kid", "admin")
        ]
        print(f"\np99 at N={sizes[-1]:,} vs N={sizes[0]:,} (target ~1x): " + ", ".join(parts))


if __name__ == "__main__":
    main()
