"""The events of processes starting and agents turned off: names, what each means, and the payload keys it carries."""

from apps.core.events import EventType

EVENTS = (
    EventType(
        "system.startup",
        category="system",
        description="A Revenge process started.",
        payload=("process",),
    ),
    EventType(
        "notifications.agent_disabled",
        category="system",
        description="A notification agent failed 10 deliveries in a row and was turned off.",
        payload=("agent_id", "name", "kind", "failures", "last_error"),
    ),
)
