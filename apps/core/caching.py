"""Cache helpers: version counters that make every key built on them stale at once when bumped."""

from __future__ import annotations

from django.core.cache import cache


def version(name: str) -> int:
    """The current version of `name` (1 until first bumped)."""
    return cache.get_or_set(f"version:{name}", 1, timeout=None)


def bump(name: str) -> None:
    """Invalidate everything keyed on `name`'s version."""
    key = f"version:{name}"
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 2, timeout=None)
