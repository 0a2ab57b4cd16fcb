"""Event subscribers of the playback app: after a scan, the workers warm the home rows it made stale."""

from apps.core import dispatch, events
from apps.libraries.scan_changes import scan_changed_catalogue


@events.subscribe("library.scan_completed")
def rows_warm_after_scan(event: events.Event) -> None:
    # The scan bumped the library's cache scope: without this, every active viewer's next visit computes.
    library_id = event.payload.get("library_id")
    if not scan_changed_catalogue(event.payload):
        return  # an unchanged rescan bumps no scope (apps/media/subscribers.py): the warm rows still hold
    if isinstance(library_id, int):
        # A little later: inside a batch of events the scope bumps come after the subscribers, and rows warmed
        # under the old versions would be wasted.
        dispatch.task_enqueue("playback.rows_warm", kwargs={"library_id": library_id}, countdown=2)
