"""The actor and client address of the request being handled, shared with auditlog's context."""

from __future__ import annotations

from auditlog.context import auditlog_value
from django.contrib.auth import get_user_model


def current() -> dict:
    """{"actor", "remote_addr", "user_agent"} of the request being handled; empty outside one."""
    try:
        return auditlog_value.get()
    except LookupError:
        return {}


def current_actor():
    """The signed-in user of the request being handled, or None."""
    actor = current().get("actor")
    return actor if isinstance(actor, get_user_model()) else None
