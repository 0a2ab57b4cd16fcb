"""The scoped cache: versions per scope, compute once under a lock, early refresh, negative entries, metrics."""

from __future__ import annotations

import os
import pickle
import threading
import time

import pytest
from django.core.cache import cache
from django.test import override_settings
from prometheus_client import REGISTRY

from apps.accounts.models import User
from apps.core import cache_locks, caching


@pytest.fixture(params=["redis", "file"])
def backend(request, settings, tmp_path):
    """Each test runs on Redis (production) and on the file cache of the embedded install."""
    if request.param == "file":
        caches = {
            "default": {
                "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                "LOCATION": str(tmp_path / "cache"),
                "OPTIONS": {"MAX_ENTRIES": 20000},
            }
        }
        with override_settings(CACHES=caches):
            yield request.param
    else:
        assert "redis" in settings.CACHES["default"]["BACKEND"].lower()
        yield request.param


def sample(name: str, namespace: str, **labels) -> float:
    return REGISTRY.get_sample_value(f"revenge_{name}", {"namespace": namespace, **labels}) or 0.0


class Counter:
    def __init__(self, value=1, pause: float = 0.0) -> None:
        self.calls, self.value, self.pause = 0, value, pause
        self._lock = threading.Lock()

    def __call__(self):
        with self._lock:
            self.calls += 1
        if self.pause:
            time.sleep(self.pause)
        return self.value


def test_a_cached_value_is_computed_once_and_then_served_without_queries(backend, db, django_assert_num_queries):
    User.objects.create(username="someone")
    compute_calls = []

    def compute():
        compute_calls.append(1)
        return list(User.objects.values_list("username", flat=True))

    first = caching.cached("t-users", "all", compute, ttl=60, scopes=["t:users"])
    with django_assert_num_queries(0):
        again = caching.cached("t-users", "all", compute, ttl=60, scopes=["t:users"])
    assert first == again == ["someone"] and len(compute_calls) == 1


def test_bumping_a_scope_recomputes_at_once_and_leaves_other_scopes_cached(backend):
    a, b = Counter("a"), Counter("b")
    caching.cached("t-scope", 1, a, ttl=60, scopes=["t:a", "t:shared"])
    caching.cached("t-scope", 2, b, ttl=60, scopes=["t:b", "t:shared"])
    caching.bump("t:a")
    caching.cached("t-scope", 1, a, ttl=60, scopes=["t:a", "t:shared"])
    caching.cached("t-scope", 2, b, ttl=60, scopes=["t:b", "t:shared"])
    assert (a.calls, b.calls) == (2, 1)
    caching.bump("t:shared")
    caching.cached("t-scope", 1, a, ttl=60, scopes=["t:shared", "t:a"])  # order of scopes does not matter
    caching.cached("t-scope", 2, b, ttl=60, scopes=["t:b", "t:shared"])
    assert (a.calls, b.calls) == (3, 2)


def test_bumps_inside_a_coalesced_block_happen_once_at_its_end(backend):
    before = caching.version("t:batch")
    with caching.bumps_coalesced():
        for _ in range(100):
            caching.bump("t:batch")
        assert caching.version("t:batch") == before  # nothing yet: a reader inside still sees the old version
    assert caching.version("t:batch") == before + 1


def test_a_coalesced_bump_of_many_unread_scopes_still_makes_the_read_ones_stale(backend):
    # A scan's batch names hundreds of new titles nobody has asked for beside the few scopes that were read.
    read, unread = Counter("read"), Counter("unread")
    caching.cached("t-many", "read", read, ttl=60, scopes=["t:read"])
    with caching.bumps_coalesced():
        for n in range(300):
            caching.bump(f"t:new:{n}")
        caching.bump("t:read")
    caching.cached("t-many", "read", read, ttl=60, scopes=["t:read"])
    caching.cached("t-many", "unread", unread, ttl=60, scopes=["t:new:7"])
    caching.cached("t-many", "unread", unread, ttl=60, scopes=["t:new:7"])
    assert (read.calls, unread.calls) == (2, 1)
    caching.bump("t:new:7")  # read now, so a bump reaches it
    caching.cached("t-many", "unread", unread, ttl=60, scopes=["t:new:7"])
    assert unread.calls == 2


def test_a_forgotten_version_never_comes_back_to_an_old_value(backend):
    caching.bump("t:evicted")
    old = caching.version("t:evicted")
    cache.delete("version:t:evicted")  # evicted, as the file cache culls and a Redis under pressure may
    assert caching.version("t:evicted") > old


def test_not_found_is_kept_briefly_as_a_negative_entry(backend, monkeypatch):
    missing = Counter(None)
    assert caching.cached("t-negative", "x", missing, ttl=600, negative_ttl=5) is None
    assert caching.cached("t-negative", "x", missing, ttl=600, negative_ttl=5) is None
    assert missing.calls == 1
    later = time.time() + 6
    monkeypatch.setattr(caching.time, "time", lambda: later)
    cache.delete(caching.key_for("t-negative", "x"))  # what the backend's timeout does after 5 s
    assert caching.cached("t-negative", "x", missing, ttl=600, negative_ttl=5) is None
    assert missing.calls == 2


def test_a_negative_entry_expires_with_its_own_short_timeout(backend):
    caching.cached("t-negative-ttl", "y", lambda: None, ttl=600, negative_ttl=1)
    key = caching.key_for("t-negative-ttl", "y")
    if backend == "redis":
        assert 0 < cache.ttl(key) <= 1
    else:
        with open(cache._key_to_file(key), "rb") as handle:
            expires = pickle.load(handle)  # noqa: S301 - our own file; the file cache writes the expiry first
        assert 0 < expires - time.time() <= 1


def test_an_entry_near_its_expiry_is_computed_again_by_one_reader(backend, monkeypatch):
    value = Counter("old")
    caching.cached("t-early", "k", value, ttl=100, early=0.2)
    value.value = "new"
    before = sample("cache_refreshes_total", "t-early", mode="inline")
    in_window = time.time() + 85  # past 80 % of the ttl, before it expires
    monkeypatch.setattr(caching.time, "time", lambda: in_window)
    assert caching.cached("t-early", "k", value, ttl=100, early=0.2) == "new"
    assert value.calls == 2
    assert sample("cache_refreshes_total", "t-early", mode="inline") == before + 1
    # Refreshed: fresh again for another 80 s from the moved clock, so the next reader does not compute.
    assert caching.cached("t-early", "k", value, ttl=100, early=0.2) == "new" and value.calls == 2


def test_a_background_refresh_serves_the_old_value_meanwhile(backend, monkeypatch):
    release, done = threading.Event(), threading.Event()
    state = {"value": "old"}

    def compute():
        if state["value"] == "new":
            release.wait(10)
            done.set()
        return state["value"]

    caching.cached("t-bg", "k", compute, ttl=100, background=True)
    state["value"] = "new"
    in_window = time.time() + 90
    monkeypatch.setattr(caching.time, "time", lambda: in_window)
    assert caching.cached("t-bg", "k", compute, ttl=100, background=True) == "old"
    assert caching.cached("t-bg", "k", compute, ttl=100, background=True) == "old"  # lock held: no second refresh
    release.set()
    assert done.wait(10)
    for _ in range(200):  # the refresh thread stores the value just after computing it
        if cache.get(caching.key_for("t-bg", "k"))[1] == "new":
            break
        time.sleep(0.01)
    assert caching.cached("t-bg", "k", compute, ttl=100, background=True) == "new"


def test_fifty_concurrent_reads_of_a_cold_key_compute_it_once(backend):
    slow = Counter({"answer": 42}, pause=0.3)
    waits_before = sample("cache_lock_waits_total", "t-stampede")
    results, start = [], threading.Barrier(50)

    def read():
        start.wait()
        results.append(caching.cached("t-stampede", "cold", slow, ttl=60))

    threads = [threading.Thread(target=read) for _ in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert slow.calls == 1
    assert results == [{"answer": 42}] * 50
    assert sample("cache_lock_waits_total", "t-stampede") > waits_before


def test_a_computation_that_fails_releases_the_lock_and_caches_nothing(backend):
    def broken():
        raise RuntimeError("provider down")

    with pytest.raises(RuntimeError):
        caching.cached("t-broken", "k", broken, ttl=60)
    assert caching.cached("t-broken", "k", lambda: "fine", ttl=60) == "fine"


def test_hostile_keys_are_hashed_into_safe_cache_keys(backend):
    for key in ("../../etc/passwd", "\x00\n\r" * 500, ("é", None, 10**40), "k" * 100_000):
        assert caching.cached("t-hostile", key, lambda key=key: repr(key)[:20], ttl=60) == repr(key)[:20]
        assert len(caching.key_for("t-hostile", key)) < 100


def test_the_lock_is_exclusive_and_a_dead_holders_lock_expires(backend):
    token = cache_locks.lock_acquire("t-lock", seconds=30)
    assert token is not None
    assert cache_locks.lock_acquire("t-lock", seconds=30) is None
    cache_locks.lock_release("t-lock", token="someone else's")
    assert cache_locks.lock_acquire("t-lock", seconds=30) is None  # a wrong token releases nothing
    cache_locks.lock_release("t-lock", token=token)
    again = cache_locks.lock_acquire("t-lock", seconds=30)
    assert again is not None
    if backend == "file":
        folder = cache_locks._lock_dir()
        (path,) = folder.iterdir()
        os.utime(path, (time.time() - 60, time.time() - 60))  # its holder died a minute ago
        assert cache_locks.lock_acquire("t-lock", seconds=30) is not None
    else:
        cache.delete("lock:t-lock")  # what Redis does when the lock's timeout passes
        assert cache_locks.lock_acquire("t-lock", seconds=30) is not None


def test_hits_misses_and_entry_sizes_are_counted_per_namespace(backend):
    hits, misses = sample("cache_hits_total", "t-metrics"), sample("cache_misses_total", "t-metrics")
    sizes = sample("cache_entry_bytes_count", "t-metrics")
    caching.cached("t-metrics", "k", lambda: "x" * 1000, ttl=60)
    caching.cached("t-metrics", "k", lambda: "x" * 1000, ttl=60)
    caching.cached("t-metrics", "k", lambda: "x" * 1000, ttl=60)
    assert sample("cache_misses_total", "t-metrics") == misses + 1
    assert sample("cache_hits_total", "t-metrics") == hits + 2
    assert sample("cache_entry_bytes_count", "t-metrics") == sizes + 1
    assert sample("cache_entry_bytes_sum", "t-metrics") >= 1000


def test_the_cache_metrics_are_served_on_metrics(client, db):
    caching.cached("t-served", "k", lambda: 1, ttl=60)
    text = client.get("/metrics").content.decode()
    for name in ("revenge_cache_hits_total", "revenge_cache_misses_total", "revenge_cache_entry_bytes_bucket"):
        assert name in text
    assert 'revenge_cache_misses_total{namespace="t-served"}' in text


def test_effective_settings_count_their_hits_and_misses(db):
    from apps.accounts.selectors import effective_settings
    from apps.core.testing.people import user_make

    member = user_make("member")
    hits, misses = sample("cache_hits_total", "effective-settings"), sample("cache_misses_total", "effective-settings")
    effective_settings(user=member)
    effective_settings(user=member)
    assert sample("cache_misses_total", "effective-settings") == misses + 1
    assert sample("cache_hits_total", "effective-settings") == hits + 1


def test_a_local_entry_serves_this_process_and_follows_bumps(backend):
    calls = []

    def compute():
        calls.append(1)
        return {"n": len(calls)}

    def read():
        return caching.cached("local-test", "k", compute, ttl=60, scopes=["local-scope"], local=True)

    assert read() == {"n": 1}
    assert read() == {"n": 1}  # now kept in this process as well
    first = read()
    first["n"] = 99  # a reader changing its copy changes nobody else's
    assert read() == {"n": 1} and len(calls) == 1
    caching.bump("local-scope")
    assert read() == {"n": 2}
    cache.clear()  # the versions go with it, so no local copy under the old ones is ever served again
    assert read() == {"n": 3}
