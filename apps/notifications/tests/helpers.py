"""Helpers of the notification tests."""

from __future__ import annotations

from apps.core import events
from apps.notifications import delivery, services
from apps.notifications.models import NotificationAgent, NotificationEvent


def make_agent(**fields) -> NotificationAgent:
    """An operator's agent, opted in to the private network by the system: the receivers are on 127.0.0.1."""
    fields.setdefault("name", "hook")
    fields.setdefault("kind", "webhook")
    fields.setdefault("allow_private_network", fields.get("owner") is None)
    return services.agent_create(**fields)


def dispatched(event_name: str, **payload) -> NotificationEvent:
    """Record an event with its deliveries and notices, as the subscriber does (without queueing anything)."""
    event = events.Event(name=event_name, payload=payload)
    delivery.event_publish(event=event)
    found = NotificationEvent.objects.filter(event_id=event.id).first()
    assert found is not None, f"nobody gets {event_name}"
    return found
