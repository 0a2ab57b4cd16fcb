"""Rate limits kept in the cache (Redis in production) and keyed by the real client IP.

A counter per client and window, not DRF's list of every request's time: that list is read and written whole on
each request, so at 600/min a busy client moves 600 timestamps twice per request (and a bench's 1,000,000/min
hundreds of thousands). A counter is one increment. A client may send up to twice the rate across the edge of
two windows; the limit is against floods and guessing, where that is no matter.
"""

from __future__ import annotations

import time

from django.core.cache import cache
from rest_framework.throttling import SimpleRateThrottle

from apps.core.client_ip import client_ip


class ClientIPRateThrottle(SimpleRateThrottle):
    """The global per-IP limit (REVENGE_RATE_LIMIT)."""

    scope = "ip"

    def get_cache_key(self, request, view) -> str:
        return self.cache_format % {"scope": self.scope, "ident": client_ip(request)}

    def allow_request(self, request, view) -> bool:
        if self.rate is None:
            return True
        key = self.get_cache_key(request, view)
        if key is None:
            return True
        now = time.time()
        window = int(now // self.duration)
        self.window_ends = (window + 1) * self.duration
        counter = f"{key}:{window}"
        try:
            count = cache.incr(counter)
        except ValueError:  # the window's first request (or the counter was evicted)
            count = 1 if cache.add(counter, 1, timeout=int(self.duration) + 1) else cache.incr(counter)
        return count <= self.num_requests

    def wait(self) -> float:
        return max(self.window_ends - time.time(), 1.0)


class AuthRateThrottle(ClientIPRateThrottle):
    """The stricter limit of authentication endpoints (REVENGE_AUTH_RATE_LIMIT)."""

    scope = "auth"
