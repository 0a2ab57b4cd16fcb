"""One request rate to TMDb for every worker and process (settings.TMDB_RATE_LIMIT per second).

A token bucket holding one second's worth of requests: in Redis (an atomic Lua script on the server's clock) when
Redis is configured, else in this process, which is all the embedded default runs. A caller reserves its token and
sleeps until it is due, so waiting callers are served in turn rather than polling.
"""

from __future__ import annotations

import logging
import threading
import time

from django.conf import settings

logger = logging.getLogger(__name__)
KEY = "tmdb:ratelimit"
# tokens: what is left (negative when callers are queued); at: when it was counted. A hold (TMDb answered 429)
# pushes the bucket into debt so every caller waits it out, without adding up when several callers report it.
SCRIPT = """
local rate, capacity, cost, hold = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local clock = redis.call('TIME')
local now = tonumber(clock[1]) + tonumber(clock[2]) / 1000000
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1]) or capacity
local at = tonumber(state[2]) or now
tokens = math.min(capacity, tokens + math.max(0, now - at) * rate) - cost
if hold > 0 then tokens = math.min(tokens, -hold * rate) end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], 60000 + math.ceil(math.max(0, -tokens) / rate * 1000))
if tokens >= 0 then return '0' end
return tostring(-tokens / rate)
"""


class _LocalBucket:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.tokens: float | None = None
        self.at = 0.0

    def take(self, rate: float, capacity: float, cost: float, hold: float) -> float:
        with self.lock:
            now = time.monotonic()
            tokens = capacity if self.tokens is None else self.tokens
            tokens = min(capacity, tokens + max(0.0, now - self.at) * rate) - cost
            if hold > 0:
                tokens = min(tokens, -hold * rate)
            self.tokens, self.at = tokens, now
            return max(0.0, -tokens / rate)


_local = _LocalBucket()
_script = None


def _redis_take(rate: float, capacity: float, cost: float, hold: float) -> float | None:
    """The wait the shared bucket gives, or None when Redis is not configured or does not answer."""
    global _script
    if not settings.REDIS_URL:
        return None
    try:
        if _script is None:
            # Only here: django-redis is the cache backend just when Redis is configured.
            from django_redis import get_redis_connection

            _script = get_redis_connection("default").register_script(SCRIPT)
        return float(_script(keys=[_key()], args=[rate, capacity, cost, hold]))
    except Exception:  # a Redis hiccup must not stop metadata; this process then keeps the rate on its own
        logger.warning("TMDb rate limit: Redis did not answer; limiting this process only", exc_info=True)
        return None


def _key() -> str:
    prefix = settings.CACHES["default"].get("KEY_PREFIX", "")
    return f"{prefix}:{KEY}" if prefix else KEY


def _take(cost: float, hold: float) -> float:
    rate = float(settings.TMDB_RATE_LIMIT)
    capacity = max(1.0, rate)
    wait = _redis_take(rate, capacity, cost, hold)
    return _local.take(rate, capacity, cost, hold) if wait is None else wait


def acquire() -> float:
    """Wait until one more request to TMDb is allowed; returns how long it waited."""
    wait = _take(1.0, 0.0)
    if wait > 0:
        time.sleep(wait)
    return wait


def hold(seconds: float) -> None:
    """TMDb asked to slow down: nobody sends for `seconds` from now."""
    _take(0.0, seconds)


def reset() -> None:
    """Forget the bucket (tests, and an operator changing the rate)."""
    global _script
    _local.tokens = None
    _script = None
    if settings.REDIS_URL:
        try:
            from django_redis import get_redis_connection  # only with Redis configured (see _redis_take)

            get_redis_connection("default").delete(_key())
        except Exception:  # nothing to forget when Redis is away
            logger.warning("TMDb rate limit: could not reset the Redis bucket", exc_info=True)
