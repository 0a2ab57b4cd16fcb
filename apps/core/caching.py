"""The cache of hot reads: versioned scopes, compute-once with a lock, early refresh, negative entries, metrics.

A cached value is keyed by the versions of the scopes it depends on (a library, a user, an item, who may see
what); the event subscribers that change a scope bump its version, which makes every key built on it stale at
once without finding or deleting them.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import pickle
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any, TypeVar

from django.core.cache import cache
from django.db import connections, transaction

from apps.core import metrics, request_memo
from apps.core.cache_locks import lock_acquire, lock_acquire_reading, lock_release

logger = logging.getLogger(__name__)
T = TypeVar("T")

# Who may see what: roles, grants, libraries enabled or of a kind. Rare admin changes, so one scope for all.
ACCESS = "access"

hits_total = metrics.counter("cache_hits_total", "Cached reads answered from the cache, by namespace.", ["namespace"])
misses_total = metrics.counter("cache_misses_total", "Cached reads that had to compute, by namespace.", ["namespace"])
refreshes_total = metrics.counter(
    "cache_refreshes_total",
    "Entries computed again shortly before they expire, by namespace and how.",
    ["namespace", "mode"],
)
lock_waits_total = metrics.counter(
    "cache_lock_waits_total", "Reads that waited for another process to compute a cold entry.", ["namespace"]
)
entry_bytes = metrics.histogram(
    "cache_entry_bytes",
    "Size of the entries written, pickled, by namespace.",
    ["namespace"],
    buckets=(256, 1024, 4096, 16384, 65536, 262144, 1048576),
)

_deferred = threading.local()
_refresher = ThreadPoolExecutor(max_workers=2, thread_name_prefix="cache-refresh")
LOCAL_BYTES = 32 << 20  # what a process keeps beside the shared cache (`local=True`); past this it starts again
_local: dict[str, bytes] = {}
_local_size = [0]
LOCK_SECONDS = 30.0  # longer than any computation here takes; a dead holder delays others at most this long
WAIT_STEP = 0.02


def library(pk: int | str) -> str:
    """The scope of a library's contents: scans, edits and metadata refreshes there."""
    return f"library:{pk}"


def user(pk: int | str) -> str:
    """The scope of one user's account and settings."""
    return f"user:{pk}"


def api_tokens(pk: int | str) -> str:
    """The scope of one user's API tokens: any of them saved or deleted (revoked)."""
    return f"api-tokens:{pk}"


def watching(pk: int | str) -> str:
    """The scope of one user's watch progress."""
    return f"watching:{pk}"


def item(kind: str, pk: int | str) -> str:
    """The scope of one movie, show or episode."""
    return f"item:{kind}:{pk}"


def _fresh_version() -> int:
    # A version forgotten (evicted) starts again above every value it could have reached: old keys stay dead.
    return time.time_ns() // 1000


def version(name: str) -> int:
    """The current version of scope `name`."""
    return versions([name])[0]


def versions(names: Sequence[str]) -> list[int]:
    """The current versions of the scopes `names`, in one round trip when all exist.

    Inside a request each version is read once: a request asks for the same few scopes (the user, access, a
    library) in several cached reads. A bump (from this request's own writes) forgets them all.
    """
    keys = [f"version:{name}" for name in names]
    memo = request_memo.remembered()
    known = {key: memo[key] for key in keys if key in memo} if memo is not None else {}
    missing = [key for key in keys if key not in known]
    found = cache.get_many(missing) if missing else {}
    for key in missing:
        if key not in found:
            fresh = _fresh_version()
            # Not added: another process added it first; its value is the one every reader must use.
            found[key] = fresh if cache.add(key, fresh, timeout=None) else cache.get(key)
    if memo is not None:
        memo.update(found)
    found.update(known)
    return [found[key] for key in keys]


def bump(name: str) -> None:
    """Invalidate everything keyed on scope `name` (once at the end inside `bumps_coalesced`)."""
    pending = getattr(_deferred, "names", None)
    if pending is not None:
        pending[name] = None
        return
    _bump_now(name)


def bump_with_commit(name: str) -> None:
    """Bump now and again once the current transaction commits: a reader between the two may have cached the
    rows as they were before the commit, under the new version."""
    bump(name)
    transaction.on_commit(lambda: bump(name))


@contextmanager
def bumps_coalesced() -> Iterator[None]:
    """Bump each scope named inside the block once, when it ends: a batch of 1,000 events costs one bump."""
    if getattr(_deferred, "names", None) is not None:
        yield  # an outer block bumps
        return
    _deferred.names = names = {}
    try:
        yield
    finally:
        _deferred.names = None
        _bump_now(*names)


def _bump_now(*names: str) -> None:
    request_memo.forget()  # this request's remembered versions (and what it read under them)
    # Only scopes with a version are bumped. A read adds its scopes' versions before it caches anything, and a
    # version once gone (evicted) comes back above every old value, so nothing can be cached under a scope
    # without one. A first scan names hundreds of new titles' scopes nobody has read: one read for them all,
    # not a write each (on the file-based cache those writes were a third of the scan).
    for key in cache.get_many([f"version:{name}" for name in names]):
        # ValueError: evicted since it was read; as above, nothing cached under it can be served any more.
        with contextlib.suppress(ValueError):
            cache.incr(key)


def key_for(namespace: str, key: Any, *, scopes: Iterable[str] = ()) -> str:
    """The cache key of `key` in `namespace` under the current versions of `scopes`."""
    names = sorted(set(scopes))
    raw = repr((key, list(zip(names, versions(names), strict=True))))
    return f"c:{namespace}:" + hashlib.sha1(raw.encode(), usedforsecurity=False).hexdigest()


def cached(
    namespace: str,
    key: Any,
    compute: Callable[[], T],
    *,
    ttl: int,
    scopes: Iterable[str] = (),
    negative_ttl: int = 30,
    early: float = 0.2,
    background: bool = False,
    local: bool = False,
) -> T | None:
    """`compute()`, computed once per key and scope versions by one process at a time, then served from the cache.

    A None answer ("not found") is kept `negative_ttl` seconds. In the last `early` part of `ttl` one reader
    computes the entry again (on a thread of this process if `background`) while the others get the old one.
    `local`: this process also keeps the entry (pickled, so each reader gets its own copy) and reads the shared
    cache only for the versions; the key holds them, so a bump reaches the local copies too.
    """
    full_key = key_for(namespace, key, scopes=scopes)
    entry = _local_get(full_key) if local else None
    if entry is not None and time.time() < entry[0]:
        hits_total.labels(namespace=namespace).inc()
        return entry[1]
    entry = cache.get(full_key)
    if local and entry is not None:
        _local_put(full_key, entry)
    if entry is not None:
        fresh_until, value = entry
        hits_total.labels(namespace=namespace).inc()
        if time.time() >= fresh_until:
            return _refresh(namespace, full_key, compute, value, ttl, negative_ttl, early, background)
        return value
    misses_total.labels(namespace=namespace).inc()
    return _compute_once(namespace, full_key, compute, ttl, negative_ttl, early, local=local)


def _local_get(full_key: str) -> tuple | None:
    data = _local.get(full_key)
    return pickle.loads(data) if data is not None else None  # noqa: S301 - our own bytes, never a client's


def _local_put(full_key: str, entry: tuple) -> None:
    data = pickle.dumps(entry, pickle.HIGHEST_PROTOCOL)
    if _local_size[0] + len(data) > LOCAL_BYTES:
        _local.clear()
        _local_size[0] = 0
    _local[full_key] = data
    _local_size[0] += len(data)


def _store(namespace: str, full_key: str, value: Any, ttl: int, negative_ttl: int, early: float) -> tuple:
    now = time.time()
    if value is None:
        entry, timeout = (now + negative_ttl, None), negative_ttl
    else:
        entry, timeout = (now + ttl * (1 - early), value), ttl
    # An unpicklable value fails in cache.set below, with the real reason.
    with contextlib.suppress(Exception):
        entry_bytes.labels(namespace=namespace).observe(len(pickle.dumps(entry, pickle.HIGHEST_PROTOCOL)))
    cache.set(full_key, entry, timeout=timeout)
    return entry


def _compute_once(
    namespace: str, full_key: str, compute: Callable[[], T], ttl, negative_ttl, early, *, local: bool = False
) -> T | None:
    deadline = time.monotonic() + LOCK_SECONDS
    waited = False
    while True:
        # The entry read with the lock: filled by the holder we waited for, just before we took it.
        token, entry = lock_acquire_reading(full_key, seconds=LOCK_SECONDS, guarded=full_key)
        if token is not None:
            try:
                if entry is None:
                    entry = _store(namespace, full_key, compute(), ttl, negative_ttl, early)
                if local:
                    _local_put(full_key, entry)
                return entry[1]
            finally:
                lock_release(full_key, token=token)
        if not waited:
            lock_waits_total.labels(namespace=namespace).inc()
            waited = True
        time.sleep(WAIT_STEP)
        entry = cache.get(full_key)
        if entry is not None:
            return entry[1]
        if time.monotonic() > deadline:
            # The holder is stuck: answering late with our own computation beats not answering.
            return compute()


def _refresh(namespace: str, full_key: str, compute, old, ttl, negative_ttl, early, background: bool):
    token = lock_acquire(full_key, seconds=LOCK_SECONDS)
    if token is None:
        return old  # someone is refreshing it; the old value serves meanwhile
    if not background:
        refreshes_total.labels(namespace=namespace, mode="inline").inc()
        try:
            value = compute()
            _store(namespace, full_key, value, ttl, negative_ttl, early)
            return value
        finally:
            lock_release(full_key, token=token)

    def job() -> None:
        try:
            _store(namespace, full_key, compute(), ttl, negative_ttl, early)
        except Exception:
            logger.exception("cache refresh of %s failed; the entry expires as it would have", namespace)
        finally:
            lock_release(full_key, token=token)
            connections.close_all()  # this thread's own connections, not the request's

    refreshes_total.labels(namespace=namespace, mode="background").inc()
    _refresher.submit(job)
    return old


def record(namespace: str, *, hit: bool) -> None:
    """Count a hit or miss of a cache kept elsewhere (the TMDb client's), under the same metrics."""
    (hits_total if hit else misses_total).labels(namespace=namespace).inc()
