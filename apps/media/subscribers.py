"""Event subscribers of the media app: any change to the catalogue makes cached list counts stale."""

from apps.core import caching, events


@events.subscribe("library.*")
@events.subscribe("movie.*")
@events.subscribe("episode.*")
@events.subscribe("media.*")
@events.subscribe("catalogue.*")
@events.subscribe("metadata.*")  # a refresh renames, rates and dates titles
def catalogue_changed(event: events.Event) -> None:
    caching.bump("catalogue")
