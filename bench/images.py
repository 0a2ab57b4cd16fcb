"""Image endpoint benchmark: a cached resize (the variant already on disk) against serving the original file.

Run: .venv/bin/python bench/images.py [--requests 2000]
Needs PostgreSQL on 127.0.0.1 (DATABASE_URL overrides; a `revenge_bench_images` database is created and dropped)
and Redis (REDIS_URL, default redis://127.0.0.1:6379/15, which is cleared at start).

Both go through the same in-process Django test client, middleware and signed-in session:
- baseline: a plain view that answers FileResponse(open(original)) for the poster's stored original, nothing else;
- images: GET /api/v1/images/movie/{id}/?w=342&v=… as a member with a parental limit (Accept: WebP), the variant
  made before timing starts: visibility, the artwork query, the variant lookup and the file;
- the same with If-None-Match (304), and the first request of a new variant (resize once) for scale;
- for reference, the cheapest signed-in API answer (/api/v1/users/me/): what session, user and DRF cost alone.
Target: images p99 <= 5 ms.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import types
from pathlib import Path

import benchdb

DEFAULT_REDIS = "redis://127.0.0.1:6379/15"
TARGET_P99_MS = 5.0
ACCEPT = "image/avif,image/webp,image/apng,image/*,*/*;q=0.8"
benchdb.BENCH_DB = "revenge_bench_images"  # not the shared name: another bench may be running beside this one


def setup(scratch: Path):
    """A movie library with one poster (2000 x 3000 JPEG, as TMDb's originals are), fetched; a limited member."""
    from apps.accounts.services import users
    from apps.core.testing.catalogue import movie_make
    from apps.core.testing.images import image_bytes
    from apps.core.testing.people import user_make
    from apps.libraries import services as libraries
    from apps.media.images import image_url
    from apps.media.models import Artwork
    from apps.metadata.images.fetch import artworks_fetch
    from apps.metadata.images.store import original_path

    folder = scratch / "movies" / "Bench (2000)"
    folder.mkdir(parents=True)
    (folder / "poster.jpg").write_bytes(image_bytes(2000, 3000, seed=1, quality=90))
    library = libraries.library_create(name="Movies", kind="movies", paths=[str(folder.parent)])
    movie = movie_make(library=library, title="Bench", age_rating=7)
    Artwork.objects.create(movie=movie, kind="poster", source="local", path=str(folder / "poster.jpg"))
    assert artworks_fetch(library=library).stored == 1
    member = user_make("bench-member")
    users.user_update(user=member, by=None, settings_overrides={"max_parental_age": 12})
    artwork = Artwork.objects.get(movie=movie)
    return member, image_url(artwork), original_path(content_hash=artwork.content_hash)


def urlconf_with_baseline(original: Path) -> str:
    """The project's URLs plus /bench/original/, a view that serves the stored original and does nothing else."""
    from django.http import FileResponse
    from django.urls import include, path

    def original_view(request):
        return FileResponse(original.open("rb"), content_type="image/jpeg")

    module = types.ModuleType("bench_image_urls")
    module.urlpatterns = [path("bench/original/", original_view), path("", include("revenge.urls"))]
    sys.modules[module.__name__] = module
    return module.__name__


def measure(client, url: str, requests: int, expect: int, **headers) -> tuple[float, float, float, int]:
    """p50 ms, p99 ms, mean queries, bytes of the last answer; each answer read whole, as a server would send it."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def get():
        response = client.get(url, **headers)
        assert response.status_code == expect, (url, response.status_code)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        response.close()
        return body

    for _ in range(20):  # warm up: caches, the connection, the session
        get()
    times, queries = [], []
    for _ in range(requests):
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            body = get()
            times.append((time.perf_counter() - start) * 1000)
        queries.append(len(ctx.captured_queries))
    times.sort()
    return (
        statistics.median(times),
        times[min(len(times) - 1, int(len(times) * 0.99))],
        statistics.mean(queries),
        len(body),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=2000, help="Requests per series.")
    args = parser.parse_args()
    redis_default = not os.environ.get("REDIS_URL")
    os.environ.setdefault("REDIS_URL", DEFAULT_REDIS)
    with tempfile.TemporaryDirectory(prefix="revenge-bench-images-") as scratch:
        os.environ["REVENGE_DATA_DIR"] = str(Path(scratch) / "data")
        with benchdb.bench_database(REVENGE_RATE_LIMIT="1000000/min"):
            from django.conf import settings
            from django.core.cache import cache
            from django.test import Client
            from django.urls import clear_url_caches

            if redis_default:
                cache.clear()
            member, url, original = setup(Path(scratch))
            settings.ROOT_URLCONF = urlconf_with_baseline(original)
            clear_url_caches()
            client = Client(HTTP_HOST="localhost")
            client.force_login(member)
            start = time.perf_counter()
            first = client.get(url + "&w=342", HTTP_ACCEPT=ACCEPT)
            made = (time.perf_counter() - start) * 1000
            assert first.status_code == 200 and first["Content-Type"] == "image/webp"
            etag = first["ETag"]
            rows = {
                "baseline: FileResponse of the original": measure(client, "/bench/original/", args.requests, 200),
                "image, cached 342 px WebP variant": measure(
                    client, url + "&w=342", args.requests, 200, HTTP_ACCEPT=ACCEPT
                ),
                "reference: GET /api/v1/users/me/ (JSON)": measure(client, "/api/v1/users/me/", args.requests, 200),
                "image, 304 (If-None-Match)": measure(
                    client, url + "&w=342", args.requests, 304, HTTP_ACCEPT=ACCEPT, HTTP_IF_NONE_MATCH=etag
                ),
            }
            print(f"\n{args.requests} requests a series, in-process Django test client, signed-in session\n")
            for name, (p50, p99, queries, size) in rows.items():
                print(f"  {name:42} p50 {p50:6.2f} ms  p99 {p99:6.2f} ms  {queries:4.1f} queries  {size:>9,} bytes")
            base, image = rows["baseline: FileResponse of the original"], rows["image, cached 342 px WebP variant"]
            ok = "ok" if image[1] <= TARGET_P99_MS else "MISS"
            print(
                f"\n  cached resize p99 {image[1]:.2f} ms = {image[1] / base[1]:.2f}x the baseline p99 "
                f"(target <= {TARGET_P99_MS} ms: {ok}); first request of the variant (resize once): {made:.0f} ms"
            )


if __name__ == "__main__":
    main()
