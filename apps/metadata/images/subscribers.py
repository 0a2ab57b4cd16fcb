"""What images do after a scan or a metadata refresh: the artwork found is fetched, checked and sized on a worker."""

from __future__ import annotations

# The task is queued by name: apps/metadata/tasks.py registers it wherever tasks are looked up (workers'
# discovery, dispatch), so this module, loaded at every start-up, does not import Pillow and the image store.
from apps.core import dispatch, events


@events.subscribe("library.scan_completed")
def images_after_scan(event: events.Event) -> None:
    # Always, not only after changes: a run with nothing pending costs one query, and it picks up what an
    # earlier run could not finish.
    dispatch.task_enqueue("metadata.images_fetch", args=(event.payload["library_id"],))


@events.subscribe("metadata.refreshed")
def images_after_refresh(event: events.Event) -> None:
    # A match brings the provider's posters, stills and portraits: fetch them while the titles are new.
    if event.payload.get("matched"):
        for library_id in event.payload.get("library_ids") or ():
            dispatch.task_enqueue("metadata.images_fetch", args=(library_id,))
