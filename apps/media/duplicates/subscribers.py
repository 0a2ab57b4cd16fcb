"""Event subscribers for duplicate detection: a scan that changed files starts a refresh of its library."""

from apps.core import dispatch, events
from apps.libraries.scan_changes import scan_changed_catalogue


@events.subscribe("library.scan_completed")
def duplicates_after_scan(event: events.Event) -> None:
    if not scan_changed_catalogue(event.payload):
        return  # nothing changed on disk: the groups still hold
    library_id = event.payload["library_id"]
    dispatch.task_enqueue("media.duplicates_refresh", args=(library_id,))
