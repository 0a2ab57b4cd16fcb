"""The events of the catalogue: names, what each means, and the payload keys it carries."""

from apps.core.events import EventType

EVENTS = (
    EventType(
        "movie.added",
        category="media",
        description="A movie appeared in a library.",
        payload=("movie_id", "library_id", "title", "year"),
    ),
    EventType(
        "episode.added",
        category="media",
        description="An episode appeared in a library.",
        payload=("episode_id", "show_id", "library_id", "show", "season", "episode", "title"),
    ),
    EventType(
        "media.removed",
        category="media",
        description="A movie or episode lost its last file and left the library.",
        payload=("kind", "id", "library_id", "title"),
    ),
    EventType(
        "catalogue.changed",
        category="catalogue",
        description="An operator changed a movie, show, season, episode or file (admin or API).",
        payload=("kind", "id", "library_id", "title", "fields", "by_id"),
    ),
    EventType(
        "catalogue.deleted",
        category="catalogue",
        description="An operator removed a movie, show, season, episode or file from the catalogue (admin or API).",
        payload=("kind", "id", "library_id", "title", "by_id"),
    ),
    EventType(
        "movie.available",
        category="media",
        description="A movie has a playable main file (a new one, or a requested one that arrived).",
        payload=("movie_id", "library_id", "title", "year"),
    ),
    EventType(
        "episode.available",
        category="media",
        description="An episode has a playable main file for the first time.",
        payload=("episode_id", "show_id", "library_id", "show", "season", "episode", "title"),
    ),
)
