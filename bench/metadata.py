"""Metadata matching benchmark: 1,000 movies matched against the TMDb stand-in answering in 20 ms a call.

Run: .venv/bin/python bench/metadata.py [--movies 1000] [--latency 0.02] [--rate 40]
Needs PostgreSQL on 127.0.0.1 (DATABASE_URL overrides; a `revenge_bench` database is created and dropped)
and Redis (REDIS_URL, default redis://127.0.0.1:6379/15, which is cleared at start).
The catalogue mixes exact titles with years, remakes told apart by year, files a year off, files without a
year, titles with an id in the name and titles TMDb does not have. Printed: calls per item (target ≤ 3), items/s
with the shared rate limit, how many were matched rightly; the baseline, measured in the same run on a slice,
is the same pipeline with one lookup thread (calls one after another).
"""

from __future__ import annotations

import argparse
import os
import random
import time

from benchdb import bench_database

DEFAULT_REDIS = "redis://127.0.0.1:6379/15"
WORDS = [
    *("silent", "river", "crimson", "night", "empire", "shadow", "glass", "garden", "winter", "falcon", "broken"),
    *("crown", "distant", "signal", "hollow", "harbor", "iron", "orchid", "paper", "moon", "scarlet", "letter"),
    *("velvet", "storm", "golden", "hour", "last", "summer", "northern", "light", "ember"),
]
TARGET_CALLS = 3.0


def build(server, count: int, rng: random.Random) -> dict[int, str]:
    """Stand-in films and catalogue rows; returns {movie pk: expected TMDb id ("" when TMDb has none)}."""
    from apps.libraries import services as libraries
    from apps.media.models import Movie

    library = libraries.library_create(name="Bench", kind="movies", paths=[os.getcwd()])
    expected: dict[int, str] = {}
    rows = []
    for n in range(count):
        title = f"{rng.choice(WORDS).title()} {rng.choice(WORDS).title()} {n}"
        year = rng.randint(1950, 2024)
        tmdb_id = 10_000 + n
        kind = rng.random()
        name_year, name_ids, want = year, "", str(tmdb_id)
        if kind < 0.10:  # a remake: same title, another year, more popular
            server.movie_add(tmdb_id + 500_000, title, year=year + 20, popularity=90)
        elif kind < 0.18:
            name_year = year + 1  # the file says a year later
        elif kind < 0.26:
            name_year = None  # no year in the name: the only film of that title
        elif kind < 0.31:
            name_ids = str(tmdb_id)  # {tmdb-…} in the name
        elif kind < 0.36:
            want = ""  # not on TMDb
        if want:
            server.movie_add(tmdb_id, title, year=year, popularity=rng.uniform(1, 50), certifications={"US": "PG"})
        rows.append((Movie(library=library, match_key=f"{n}", title=title, year=name_year, tmdb_id=name_ids), want))
    made = Movie.objects.bulk_create([row for row, _want in rows])
    for movie, (_row, want) in zip(made, rows, strict=True):
        expected[movie.pk] = want
    return expected


def run(ids: list[int], threads: int) -> tuple[float, int, object]:
    from django.core.cache import cache

    from apps.metadata import pipeline, services
    from apps.metadata.tmdb import client, ratelimit

    cache.clear()  # answers are cached a day: every run asks TMDb afresh
    ratelimit.reset()
    pipeline.THREADS = threads
    before = client.calls_made("api")
    started = time.perf_counter()
    counts = services.metadata_refresh(movies=ids)
    return time.perf_counter() - started, client.calls_made("api") - before, counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--movies", type=int, default=1000)
    parser.add_argument("--latency", type=float, default=0.02)
    parser.add_argument("--rate", type=float, default=40.0)
    parser.add_argument("--baseline", type=int, default=200, help="movies in the one-thread baseline slice")
    args = parser.parse_args()
    os.environ.setdefault("REDIS_URL", DEFAULT_REDIS)
    with bench_database(REVENGE_TMDB_RATE_LIMIT=str(args.rate)):
        from django.conf import settings

        from apps.core.testing.tmdb import FakeTmdb
        from apps.media.models import Movie

        server = FakeTmdb()
        settings.TMDB_URL, settings.TMDB_API_KEY, settings.TMDB_RATE_LIMIT = server.api_url, server.api_key, args.rate
        expected = build(server, args.movies, random.Random(15))  # noqa: S311 - a repeatable catalogue, not a secret
        server.latency = args.latency
        ids = sorted(expected)
        base_ids = ids[: args.baseline]
        base_seconds, base_calls, _ = run(base_ids, threads=1)
        Movie.objects.filter(pk__in=base_ids).update(metadata_status="pending", tmdb_id="")
        seconds, calls, counts = run(ids, threads=4)
        got = dict(Movie.objects.filter(pk__in=ids).values_list("pk", "tmdb_id"))
        right = sum(1 for pk, want in expected.items() if got[pk] == want)
        wrong = sum(1 for pk, want in expected.items() if got[pk] and got[pk] != want)
        server.close()
    rate, base_rate = len(ids) / seconds, len(base_ids) / base_seconds
    print(
        f"{len(ids)} movies, TMDb stand-in at {args.latency * 1000:.0f} ms a call, shared limit {args.rate:.0f} req/s"
    )
    print(f"  matched {counts.matched}, unmatched {counts.unmatched}, failed {counts.failed}")
    print(f"  right {right}/{len(ids)} ({right / len(ids):.1%}), wrong matches {wrong}")
    print(f"  calls per item {calls / len(ids):.2f} (target ≤ {TARGET_CALLS:.0f})  total {calls}")
    print(f"  {rate:.1f} items/s, {calls / seconds:.1f} req/s in {seconds:.1f} s")
    print(
        f"  baseline (one thread, {len(base_ids)} movies): {base_rate:.1f} items/s, "
        f"{base_calls / len(base_ids):.2f} calls/item"
    )
    print(f"  ratio {rate / base_rate:.2f}x; ceiling at the rate limit {args.rate / (calls / len(ids)):.1f} items/s")


if __name__ == "__main__":
    main()
