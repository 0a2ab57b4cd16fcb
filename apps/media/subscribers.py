"""Event subscribers of the media app: a change to the catalogue makes the cached reads of its scopes stale.

Each event bumps the libraries (and items) it names, not the whole catalogue: a scan of one library leaves the
cached pages, counts and details of the others alone.
"""

from apps.core import caching, events
from apps.libraries.scan_changes import scan_changed_catalogue


def _ids(value) -> list:
    if isinstance(value, list | tuple):
        return [v for v in value if isinstance(v, int | str)]
    return [value] if isinstance(value, int | str) else []


@events.subscribe("library.scan_completed")
@events.subscribe("library.scan_failed")  # a failed scan may have written part of its changes
@events.subscribe("movie.*")
@events.subscribe("episode.*")
@events.subscribe("media.*")
@events.subscribe("catalogue.*")
@events.subscribe("metadata.*")  # a refresh renames, rates and dates titles
def catalogue_changed(event: events.Event) -> None:
    payload = event.payload
    if event.name == "library.scan_completed" and not scan_changed_catalogue(payload):
        return  # nothing on disk changed: every cached read of the library still holds
    libraries = _ids(payload.get("library_id")) + _ids(payload.get("library_ids"))
    kind = payload.get("kind")
    items = _ids(payload.get("id")) + _ids(payload.get("ids"))
    if not libraries:
        # Nothing names where the change was: everything anyone may see could be stale.
        caching.bump(caching.ACCESS)
    for library_id in libraries:
        caching.bump(caching.library(library_id))
    if isinstance(kind, str):
        for item_id in items:
            caching.bump(caching.item(kind, item_id))
    # A new title's id may have a cached "no such item" (someone asked before it existed).
    for name, field in (("movie", "movie_id"), ("episode", "episode_id"), ("show", "show_id")):
        if isinstance(payload.get(field), int):
            caching.bump(caching.item(name, payload[field]))
