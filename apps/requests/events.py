"""The events of media requests: names, what each means, and the payload keys it carries."""

from apps.core.events import EventType

_REQUEST_PAYLOAD = ("request_id", "title", "media_kind", "requester_id", "subscriber_ids")

EVENTS = (
    EventType(
        "request.created",
        category="request",
        description="Someone requested a movie or show.",
        payload=_REQUEST_PAYLOAD,
    ),
    EventType(
        "request.approved",
        category="request",
        description="A request was approved and handed to Radarr/Sonarr.",
        payload=(*_REQUEST_PAYLOAD, "by_id"),
    ),
    EventType(
        "request.declined",
        category="request",
        description="A request was declined.",
        payload=(*_REQUEST_PAYLOAD, "by_id", "reason"),
    ),
    EventType(
        "request.available",
        category="request",
        description="What was requested is in a library now.",
        payload=_REQUEST_PAYLOAD,
    ),
    EventType(
        "request.failed",
        category="request",
        description="A request could not be fulfilled (Radarr/Sonarr refused or gave up).",
        payload=(*_REQUEST_PAYLOAD, "reason"),
    ),
)
