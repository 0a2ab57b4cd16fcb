"""Per library, as the viewer may see it: the recently added titles and the figures (titles, files, size, time).

Both are kept per library and visibility class until the library's contents or access change. Counting a large
library costs a few aggregates over its files, so the figures are refreshed on a thread before they expire.
"""

from __future__ import annotations

from django.db.models import Count, Prefetch, Sum

from apps.core import caching
from apps.libraries.models import Library
from apps.media.api.catalogue_serializers import MovieSerializer, ShowSerializer
from apps.media.models import Artwork
from apps.media.selectors import (
    episodes_visible_to,
    files_visible_to,
    movies_visible_to,
    shows_visible_to,
    visibility_class,
)

STATS_SECONDS = 3600
RECENT_SECONDS = 600
RECENT_COUNT = 20


def library_stats(*, user, library_id: int) -> dict:
    """Counts of what `user` may see in the library; the caller has checked that they see the library itself."""
    return caching.cached(
        "library-stats",
        (library_id, visibility_class(user=user)),
        lambda: _stats(user, library_id),
        ttl=STATS_SECONDS,
        scopes=[caching.ACCESS, caching.library(library_id)],
        background=True,
    )


def _stats(user, library_id: int) -> dict:
    files = files_visible_to(user=user).filter(library_id=library_id)
    totals = files.aggregate(files=Count("pk"), size=Sum("size"), duration=Sum("duration"))
    return {
        "movies": movies_visible_to(user=user).filter(library_id=library_id).count(),
        "shows": shows_visible_to(user=user).filter(library_id=library_id).count(),
        "episodes": episodes_visible_to(user=user).filter(show__library_id=library_id).count(),
        "files": totals["files"],
        "size": totals["size"] or 0,
        "duration": round(totals["duration"] or 0.0, 1),
    }


def recently_added(*, user, library_id: int) -> list[dict]:
    """The newest titles of the library that `user` may see, as list items; the caller checked the library."""
    return caching.cached(
        "recently-added",
        (library_id, visibility_class(user=user)),
        lambda: _recent(user, library_id),
        ttl=RECENT_SECONDS,
        scopes=[caching.ACCESS, caching.library(library_id)],
    )


def _recent(user, library_id: int) -> list[dict]:
    posters = Prefetch("artwork", queryset=Artwork.objects.filter(kind=Artwork.Kind.POSTER))
    if Library.objects.filter(pk=library_id, kind="shows").exists():
        counts = {"season_count": Count("seasons", distinct=True), "episode_count": Count("episodes", distinct=True)}
        shows = shows_visible_to(user=user).filter(library_id=library_id).annotate(**counts)
        shows = shows.prefetch_related("genres", posters).order_by("-added_at", "-pk")[:RECENT_COUNT]
        return [dict(item) for item in ShowSerializer(shows, many=True).data]
    movies = movies_visible_to(user=user).filter(library_id=library_id).prefetch_related("genres", posters)
    movies = movies.order_by("-added_at", "-pk")[:RECENT_COUNT]
    return [dict(item) for item in MovieSerializer(movies, many=True).data]
