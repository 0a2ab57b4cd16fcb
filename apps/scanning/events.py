"""The events of library scans: names, what each means, and the payload keys it carries."""

from apps.core.events import EventType

EVENTS = (
    EventType(
        "library.scan_started",
        category="library",
        description="A library scan started.",
        payload=("library_id", "library", "scan_id", "kind"),
    ),
    EventType(
        "library.scan_completed",
        category="library",
        description="A library scan finished, with its counters.",
        payload=("library_id", "library", "scan_id", "kind", "counters", "duration"),
    ),
    EventType(
        "library.scan_failed",
        category="library",
        description="A library scan stopped on an error.",
        payload=("library_id", "library", "scan_id", "reason"),
    ),
)
