"""The events of the metadata app: names, what each means, and the payload keys it carries."""

from apps.core.events import EventType

EVENTS = (
    EventType(
        "metadata.refreshed",
        category="catalogue",
        description="A batch of movies or shows was looked up on TMDb (matched, left unmatched, or to retry).",
        payload=("kind", "ids", "library_ids", "matched", "unmatched", "failed"),
    ),
)
