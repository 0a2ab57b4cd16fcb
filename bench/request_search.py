"""Request search sources: TMDb (the stand-in, answering in 30 ms a call) against Radarr/Sonarr's lookup.

Run: .venv/bin/python bench/request_search.py [--latency 0.03] [--rounds 20]
Needs Redis (REDIS_URL, default redis://127.0.0.1:6379/15; its cache is cleared before each cold search); no
database: the sources are timed, not the marking of results against the catalogue (a few indexed queries).
Printed per search: milliseconds and TMDb calls, cold (nothing cached) and warm; a show search asks one details
call per show (at most titles.SHOW_DETAILS); the time a search takes to fall back when TMDb is down; the
baseline is the Radarr/Sonarr lookup alone, on a stand-in with the same latency, in the same run.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
DEFAULT_REDIS = "redis://127.0.0.1:6379/15"


def timed(call, rounds: int, *, before=None) -> float:
    """Median milliseconds of `rounds` calls; `before` runs untimed ahead of each (a cache clear)."""
    spent = []
    for _ in range(rounds):
        if before:
            before()
        started = time.perf_counter()
        call()
        spent.append((time.perf_counter() - started) * 1000)
    return statistics.median(spent)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency", type=float, default=0.03)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    os.environ.setdefault("REDIS_URL", DEFAULT_REDIS)
    os.environ.setdefault("REVENGE_SECRET_KEY", "b" * 50)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "revenge.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.cache import cache

    from apps.core.testing.arr import API_KEY, FakeArr
    from apps.core.testing.tmdb import FakeTmdb
    from apps.metadata.tmdb import client, ratelimit
    from apps.requests import titles
    from apps.requests.models import ArrServer

    tmdb, radarr, sonarr = FakeTmdb(), FakeArr("radarr"), FakeArr("sonarr")
    settings.TMDB_URL, settings.TMDB_IMAGE_URL, settings.TMDB_API_KEY = tmdb.api_url, tmdb.image_url, tmdb.api_key
    settings.TMDB_RATE_LIMIT = 1000.0  # the stand-in's latency is measured, not the shared rate
    for n in range(40):
        tmdb.movie_add(10_000 + n, f"Heat {n}", year=1990 + n % 30, poster=f"/heat{n}.jpg", popularity=100 - n)
        tmdb.show_add(20_000 + n, f"Severance {n}", tvdb_id=300_000 + n, seasons={1: 2, 2: 2}, popularity=100 - n)
    tmdb.latency = radarr.delay = sonarr.delay = args.latency
    servers = {
        "movie": ArrServer(kind="radarr", name="R", base_url=radarr.url, api_key=API_KEY, allow_private_network=True),
        "show": ArrServer(kind="sonarr", name="S", base_url=sonarr.url, api_key=API_KEY, allow_private_network=True),
    }
    query = {"movie": "heat", "show": "severance"}

    def fresh() -> None:
        cache.clear()
        ratelimit.reset()

    print(f"request search, stand-ins answering in {args.latency * 1000:.0f} ms a call, median of {args.rounds}")
    for kind in ("movie", "show"):
        fresh()
        before = client.calls_made("api")
        shown = len(titles.tmdb_titles(kind=kind, q=query[kind]))
        cold_calls = client.calls_made("api") - before
        cold = timed(lambda k=kind: titles.tmdb_titles(kind=k, q=query[k]), args.rounds, before=fresh)
        before = client.calls_made("api")
        warm = timed(lambda k=kind: titles.tmdb_titles(kind=k, q=query[k]), args.rounds)
        warm_calls = (client.calls_made("api") - before) / args.rounds
        arr = timed(lambda k=kind: titles.arr_titles(server=servers[k], kind=k, q=query[k]), args.rounds)
        print(
            f"  {kind:5} TMDb cold {cold:6.1f} ms ({cold_calls} calls, {shown} shown)  warm {warm:6.1f} ms "
            f"({warm_calls:.0f} calls)  | baseline Arr lookup {arr:6.1f} ms  ratio cold/Arr {cold / arr:.2f}x"
        )
    for down in ("closed", "503"):
        tmdb.down = down
        fresh()
        started = time.perf_counter()
        with contextlib.suppress(client.TmdbError):
            titles.tmdb_titles(kind="movie", q="heat")
        failed = (time.perf_counter() - started) * 1000
        print(f"  TMDb down ({down}): the search gives up on it after {failed:.0f} ms, then asks Radarr")
    tmdb.close()
    radarr.server.shutdown()
    sonarr.server.shutdown()


if __name__ == "__main__":
    main()
