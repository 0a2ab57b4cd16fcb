"""Who did it and from where, for every activity entry written while a request is handled."""

from __future__ import annotations

from functools import partial

from auditlog import get_logentry_model
from auditlog.cid import set_cid
from auditlog.context import _set_extra_data, auditlog_value
from auditlog.middleware import AuditlogMiddleware
from django.db.models.signals import pre_save
from django.utils.functional import SimpleLazyObject

from apps.core.client_ip import client_ip
from apps.core.user_agent import user_agent_clean

# The context id of every request's context: one receiver, connected once, fills the entries it names.
REQUEST_CONTEXT = ("revenge-request", 0)


def receiver_connect() -> None:
    """Connect, once, the receiver that puts the request's actor, address and user agent on each entry.

    Auditlog's own middleware connects and disconnects a receiver per request, which empties the pre_save
    receiver caches of every thread on each request; its private `_set_extra_data` is the receiver both use
    (django-auditlog is pinned in requirements/base.txt).
    """
    pre_save.connect(
        partial(_set_extra_data, signal_duid=REQUEST_CONTEXT),
        sender=get_logentry_model(),
        weak=False,
        dispatch_uid="revenge-activity-context",
    )


class ActivityContextMiddleware(AuditlogMiddleware):
    """Auditlog's middleware with the real client IP (trusted proxies only), not the first X-Forwarded-For hop,
    and one receiver for all requests instead of one connected for each."""

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
        set_cid(request)
        context = self.get_extra_data(request)
        context["signal_duid"] = REQUEST_CONTEXT
        # Reset after the response: a thread's next job must not inherit this request's actor.
        token = auditlog_value.set(context)
        try:
            return self.get_response(request)
        finally:
            auditlog_value.reset(token)
