"""The events of playback and transcoding: names, what each means, and the payload keys it carries."""

from apps.core.events import EventType

_PLAYBACK_PAYLOAD = ("user_id", "username", "item_kind", "item_id", "title", "device")

EVENTS = (
    EventType(
        "playback.started",
        category="playback",
        description="Someone started playing.",
        payload=_PLAYBACK_PAYLOAD,
    ),
    EventType(
        "playback.paused",
        category="playback",
        description="Playback was paused.",
        payload=_PLAYBACK_PAYLOAD,
    ),
    EventType(
        "playback.resumed",
        category="playback",
        description="Paused playback went on.",
        payload=_PLAYBACK_PAYLOAD,
    ),
    EventType(
        "playback.stopped",
        category="playback",
        description="Playback stopped: by the viewer, idle, or ended by a manager (reason terminated, by_id).",
        payload=(*_PLAYBACK_PAYLOAD, "session_id", "reason", "by_id", "message"),
    ),
    EventType(
        "transcode.started",
        category="playback",
        description="A stream is being transcoded rather than played directly.",
        payload=(*_PLAYBACK_PAYLOAD, "reason"),
    ),
)
