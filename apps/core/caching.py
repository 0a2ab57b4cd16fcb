"""Cache helpers: version counters that make every key built on them stale at once when bumped."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from django.core.cache import cache

_deferred = threading.local()


def version(name: str) -> int:
    """The current version of `name` (1 until first bumped)."""
    return cache.get_or_set(f"version:{name}", 1, timeout=None)


def bump(name: str) -> None:
    """Invalidate everything keyed on `name`'s version (once at the end inside `bumps_coalesced`)."""
    pending = getattr(_deferred, "names", None)
    if pending is not None:
        pending[name] = None
        return
    _bump_now(name)


@contextmanager
def bumps_coalesced() -> Iterator[None]:
    """Bump each version named inside the block once, when it ends: a batch of 1,000 events costs one bump."""
    if getattr(_deferred, "names", None) is not None:
        yield  # an outer block bumps
        return
    _deferred.names = names = {}
    try:
        yield
    finally:
        _deferred.names = None
        for name in names:
            _bump_now(name)


def _bump_now(name: str) -> None:
    key = f"version:{name}"
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 2, timeout=None)
