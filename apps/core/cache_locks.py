"""Short locks shared by every process that shares the cache: who computes a cold or expiring cache entry.

Redis (and the in-memory cache) add keys atomically, so `cache.add` is the lock. Django's file cache checks
then writes, which two processes can both pass: there the lock is a file created with O_EXCL beside it.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import time
from pathlib import Path

from django.core.cache import cache, caches
from django.core.cache.backends.filebased import FileBasedCache


def _lock_dir() -> Path | None:
    backend = caches["default"]
    if isinstance(backend, FileBasedCache):
        return Path(backend._dir) / "locks"
    return None


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
