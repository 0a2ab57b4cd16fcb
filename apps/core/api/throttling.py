"""Rate limits kept in the cache (Redis in production) and keyed by the real client IP."""

from rest_framework.throttling import SimpleRateThrottle

from apps.core.client_ip import client_ip


class ClientIPRateThrottle(SimpleRateThrottle):
    """The global per-IP limit (REVENGE_RATE_LIMIT)."""

    scope = "ip"

    def get_cache_key(self, request, view) -> str:
        return self.cache_format % {"scope": self.scope, "ident": client_ip(request)}


class AuthRateThrottle(ClientIPRateThrottle):
    """The stricter limit of authentication endpoints (REVENGE_AUTH_RATE_LIMIT)."""

    scope = "auth"
