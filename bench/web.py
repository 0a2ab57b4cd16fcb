"""The web app's browsing pages: server time (wall, CPU and SQL) and queries per request over a large catalogue.

Run: .venv/bin/python bench/web.py [--items 100000] [--requests 30]

Seeds the catalogue of bench/api.py (bench/apiseed.py: movies with posters, genres and files, a member with a
parental limit of 16 and 30 movies in progress) in a throwaway PostgreSQL database, then asks each page through
Django's handler in this process as that member: "cold" right after the cache was emptied (what the first visit
after a scan or a grant costs), "warm" from the cache (what every other visit costs). Redis is REDIS_URL's
(default redis://127.0.0.1:6379/14) under a key prefix of this run. Prints figures; asserts nothing.

--keep-db seeds `revenge_bench_web_keep` once and reuses it on later runs (drop it by hand when done), so a
change can be measured before and after on the same catalogue without seeding 100,000 movies again.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

import apiseed
import benchdb

benchdb.BENCH_DB = f"revenge_bench_web_{os.getpid()}"


def pages(seeded: apiseed.Seeded, library_id: int) -> dict[str, str]:
    base = f"/libraries/{library_id}/"
    middle = max(seeded.items // 48 // 2, 1)  # a page half-way through the grid
    return {
        "home": "/",
        "library": base,
        "library mid": f"{base}?page={middle}",
        "filtered": f"{base}?genre=Crime&decade=1990&sort=year&order=desc",
        "letter": f"{base}?letter=S&sort=added",
        "search": "/search/?q=silent+rivr",
        "movie": f"/movies/{seeded.movie_id}/",
    }


def measure(
    client, path: str, *, cold: bool, requests: int, slowest: int = 0
) -> tuple[list[float], list[float], float, float]:
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    walls, cpus, queries, sql = [], [], [], []
    for _ in range(requests):
        if cold:
            cache.clear()
        with CaptureQueriesContext(connection) as ctx:
            cpu, wall = time.process_time(), time.perf_counter()
            response = client.get(path)
            walls.append((time.perf_counter() - wall) * 1000)
            cpus.append((time.process_time() - cpu) * 1000)
        assert response.status_code == 200, (path, response.status_code)
        queries.append(len(ctx.captured_queries))
        sql.append(sum(float(q["time"]) for q in ctx.captured_queries) * 1000)
    if slowest:
        for query in sorted(ctx.captured_queries, key=lambda q: -float(q["time"]))[:slowest]:
            print(f"    {float(query['time']) * 1000:7.1f} ms  {query['sql'][:300]}")
    return walls, cpus, statistics.mean(queries), statistics.median(sql)


def _kept(items: int) -> apiseed.Seeded | None:
    """The catalogue a former --keep-db run seeded, or None when there is none (or it has another size)."""
    from apps.media.models import Credit, Movie

    if Movie.objects.count() != items:
        if Movie.objects.exists():
            raise SystemExit("revenge_bench_web_keep holds another catalogue size: drop it or pass its --items")
        return None
    movie_id = Credit.objects.values_list("movie_id", flat=True).first()
    print(f"reusing the {items:,} movies of revenge_bench_web_keep")
    return apiseed.Seeded(token="", movie_id=movie_id, image_path="", items=items)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=30, help="requests per page and mode (cold: fewer)")
    parser.add_argument("--slowest", type=int, default=0, help="print this many of the slowest queries per page")
    parser.add_argument("--keep-db", action="store_true", help="reuse (or leave) revenge_bench_web_keep")
    parser.add_argument("--only", default="", help="comma-separated page names to measure (default: all)")
    args = parser.parse_args()
    if args.keep_db:
        benchdb.BENCH_DB = "revenge_bench_web_keep"
    os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/14")
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench_settings"
    os.environ.setdefault("REVENGE_BENCH_CACHE_PREFIX", f"bench-web-{os.getpid()}")
    with tempfile.TemporaryDirectory(prefix="revenge-bench-web-") as scratch:
        if args.keep_db:  # the files the kept database points at must outlive the run too
            scratch = str(Path(tempfile.gettempdir()) / "revenge-bench-web-keep")
        os.environ["REVENGE_DATA_DIR"] = str(Path(scratch) / "data")
        with benchdb.bench_database(keep=args.keep_db):
            from django.db import connection
            from django.test import Client

            from apps.accounts.models import User
            from apps.libraries.models import Library

            start = time.perf_counter()
            seeded = _kept(args.items) if args.keep_db else None
            if seeded is None:
                seeded = apiseed.seed(scratch=Path(scratch), items=args.items)
                print(f"seeded {args.items:,} movies in {time.perf_counter() - start:.0f} s")
            with connection.cursor() as cursor:
                # What autovacuum does to a table this size within a minute of a scan (the planner's statistics,
                # and the visibility map that lets a count read an index without the table); a server with
                # autovacuum off would see heap reads instead.
                cursor.execute("VACUUM ANALYZE")
            client = Client()
            client.force_login(User.objects.get(username="bench-member"))  # sessions are in the database
            library_id = Library.objects.get(name="Movies").pk
            print(f"{'page':14} {'mode':5} {'p50 ms':>8} {'max ms':>8} {'CPU ms':>8} {'SQL ms':>8} {'queries':>8}")
            only = {name.strip() for name in args.only.split(",") if name.strip()}
            for name, path in pages(seeded, library_id).items():
                if only and name not in only:
                    continue
                for cold in (True, False):
                    client.get(path)  # the warm run starts from a filled cache
                    count = max(args.requests // 3, 3) if cold else args.requests
                    walls, cpus, queries, sql = measure(client, path, cold=cold, requests=count, slowest=args.slowest)
                    print(
                        f"{name:14} {'cold' if cold else 'warm':5} {statistics.median(walls):8.1f} "
                        f"{max(walls):8.1f} {statistics.median(cpus):8.1f} {sql:8.1f} {queries:8.1f}"
                    )


if __name__ == "__main__":
    main()
