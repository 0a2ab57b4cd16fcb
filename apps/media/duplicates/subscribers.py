"""Event subscribers for duplicate detection: a scan that changed files starts a refresh of its library."""

from apps.core import dispatch, events

CHANGE_COUNTERS = ("added", "updated", "moved", "removed")


@events.subscribe("library.scan_completed")
def duplicates_after_scan(event: events.Event) -> None:
    counters = event.payload.get("counters") or {}
    if counters and not any(counters.get(name) for name in CHANGE_COUNTERS):
        return  # nothing changed on disk: the groups still hold
    library_id = event.payload["library_id"]
    dispatch.task_enqueue("media.duplicates_refresh", args=(library_id,))
