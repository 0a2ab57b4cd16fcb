"""Who did it and from where, for every activity entry written while a request is handled."""

from __future__ import annotations

from auditlog.context import auditlog_value
from auditlog.middleware import AuditlogMiddleware
from django.utils.functional import SimpleLazyObject

from apps.core.client_ip import client_ip
from apps.core.user_agent import user_agent_clean


class ActivityContextMiddleware(AuditlogMiddleware):
    """Auditlog's middleware with the real client IP (trusted proxies only), not the first X-Forwarded-For hop."""

    @staticmethod
    def _get_remote_addr(request) -> str | None:
        return client_ip(request) or None

    @staticmethod
    def _get_remote_port(request) -> int | None:
        return None

    @staticmethod
    def _get_actor(request):
        # Read when an entry is written, not now: the API authenticates tokens inside the view, and DRF
        # then sets the user on this request.
        def actor():
            user = getattr(request, "user", None)
            return user if user is not None and user.is_authenticated else None

        return SimpleLazyObject(actor)

    def get_extra_data(self, request) -> dict:
        data = super().get_extra_data(request)
        data["user_agent"] = user_agent_clean(request.META.get("HTTP_USER_AGENT", ""))
        return data

    def __call__(self, request):
        # Auditlog leaves its context set after the response; a thread's next job must not inherit it.
        token = auditlog_value.set({})
        try:
            return super().__call__(request)
        finally:
            auditlog_value.reset(token)
