"""Settings of bench/api.py: the project's, with a cache key prefix of its own; REVENGE_BENCH_CACHE=off: no cache."""

import os

from revenge.settings import *  # noqa: F403

ROOT_URLCONF = "bench_urls"  # the project's URLs and a floor: a signed-in request that does nothing
# Two benches sharing a Redis database must not read each other's cached answers.
CACHES["default"]["KEY_PREFIX"] = os.environ.get("REVENGE_BENCH_CACHE_PREFIX", "bench")  # noqa: F405
if os.environ.get("REVENGE_BENCH_CACHE") == "off":
    # Every cache read misses and every write is dropped: what each request costs when nothing is kept.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
