"""Objects of the notifications API for the permission matrix (apps/accounts/tests/test_permission_matrix.py)."""

from __future__ import annotations

from django.utils import timezone

from apps.notifications import services
from apps.notifications.models import Notification, NotificationDelivery, NotificationEvent

UNREACHABLE = "http://hooks.invalid/hook"  # a name that never resolves: a test send fails at once


def notification_objects(kind: str, who: str, users: dict) -> dict:
    """Fresh objects per principal: "own" belongs to `who`, "granted" to someone else (or is the operator's)."""
    owner = users.get(who) or users["user"]
    other = users["guest"] if owner != users["guest"] else users["user"]
    if kind == "notification_agent":
        agent = services.agent_create(name=f"agent-{who}", kind="webhook", url=UNREACHABLE, secret="s" * 20)
        return {"granted": agent}
    if kind == "notification_channel":
        return {case: _channel(user, who) for case, user in (("own", owner), ("granted", other))}
    event = NotificationEvent.objects.create(
        event_id=f"matrix-{kind}-{who}",
        name="system.startup",
        category="system",
        payload={},
        occurred_at=timezone.now(),
    )
    if kind == "notification_delivery":
        agent = services.agent_create(name=f"log-{who}", kind="webhook", url=UNREACHABLE, secret="s" * 20)
        return {
            "granted": NotificationDelivery.objects.create(event=event, agent=agent, next_attempt_at=event.occurred_at)
        }
    if kind == "notification":
        return {
            case: Notification.objects.create(user=user, event=event, name=event.name, title="Revenge web started")
            for case, user in (("own", owner), ("granted", other))
        }
    raise AssertionError(kind)


def _channel(user, who: str):
    return services.agent_create(name=f"ch-{who}", kind="ntfy", owner=user, url="ntfy://ntfy.invalid/matrix")
