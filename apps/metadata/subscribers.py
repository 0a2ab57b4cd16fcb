"""Event subscribers of the metadata app: a finished scan (watcher syncs included) sends its library's new and
due items to TMDb on the workers; the scan itself never waits for TMDb nor fails because of it."""

from apps.core import dispatch, events


@events.subscribe("library.scan_completed")
def metadata_after_scan(event: events.Event) -> None:
    # movie.added / episode.added need no subscription: every scan and watcher sync that adds them ends with this
    # event, and one task per scan beats one per title.
    from apps.metadata.tmdb.client import tmdb_enabled  # lazy: the client's imports cost every process start-up

    if tmdb_enabled():
        dispatch.task_enqueue("metadata.refresh", kwargs={"library_id": event.payload["library_id"]})
