"""Short locks shared by every process that shares the cache: who computes a cold or expiring cache entry.

Redis (and the in-memory cache) add keys atomically, so `cache.add` is the lock; on Redis taking it (with a read of
the entry it guards) and giving it back are each one script. Django's file cache checks then writes, which two
processes can both pass: there the lock is a file created with O_EXCL beside it.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import time
from pathlib import Path
from typing import Any

from django.core.cache import cache, caches
from django.core.cache.backends.filebased import FileBasedCache
from django_redis.client import DefaultClient


def _lock_dir() -> Path | None:
    backend = caches["default"]
    if isinstance(backend, FileBasedCache):
        return Path(backend._dir) / "locks"
    return None


def _redis_client():
    """django-redis's client when the cache is Redis: the lock's steps then run as one script each."""
    client = getattr(caches["default"], "client", None)
    return client if isinstance(client, DefaultClient) else None


# Take the lock and read the entry it guards in one round trip: a reader who waited for the holder finds the value
# it stored just before releasing, without asking again.
_ACQUIRE_AND_GET = """
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return {1, redis.call('GET', KEYS[2])} end
return {0, false}
"""
_RELEASE = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0"


def lock_acquire_reading(name: str, *, seconds: float, guarded: str) -> tuple[str | None, Any]:
    """`lock_acquire`, and when taken the cache's value at `guarded` read in the same step (None when absent)."""
    client = _redis_client()
    if client is None:
        token = lock_acquire(name, seconds=seconds)
        return token, (cache.get(guarded) if token is not None else None)
    token = secrets.token_hex(8)
    keys = [client.make_key(f"lock:{name}"), client.make_key(guarded)]
    taken, raw = client.get_client(write=True).eval(
        _ACQUIRE_AND_GET, 2, *keys, client.encode(token, allow_int=False), int(seconds * 1000)
    )
    if not taken:
        return None, None
    return token, (client.decode(raw) if raw is not None else None)


def lock_acquire(name: str, *, seconds: float) -> str | None:
    """Take the lock `name` for at most `seconds`; a token to release it with, or None when another holds it."""
    token = secrets.token_hex(8)
    folder = _lock_dir()
    if folder is None:
        return token if cache.add(f"lock:{name}", token, timeout=max(1, int(seconds + 0.999))) else None
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / (hashlib.sha1(name.encode(), usedforsecurity=False).hexdigest() + ".lock")
    for _ in range(2):
        try:
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        except FileExistsError:
            try:
                if time.time() - path.stat().st_mtime < seconds:
                    return None
                path.unlink()  # its holder died or overran: the lock expires as a Redis key would
            except FileNotFoundError:
                pass  # released meanwhile: try once more
            continue
        with os.fdopen(fd, "w") as handle:
            handle.write(token)
        return token
    return None


def lock_release(name: str, *, token: str) -> None:
    """Give the lock back, unless it expired and someone else holds it now."""
    client = _redis_client()
    if client is not None:
        key = client.make_key(f"lock:{name}")
        client.get_client(write=True).eval(_RELEASE, 1, key, client.encode(token, allow_int=False))
        return
    folder = _lock_dir()
    if folder is None:
        key = f"lock:{name}"
        # Check then delete is not atomic; the worst case is one extra computation, never a wrong value.
        if cache.get(key) == token:
            cache.delete(key)
        return
    path = folder / (hashlib.sha1(name.encode(), usedforsecurity=False).hexdigest() + ".lock")
    try:
        if path.read_text() == token:
            path.unlink()
    except (FileNotFoundError, OSError):
        pass
