"""Per-library figures (titles, episodes, files, size, running time) as the viewer may see them, cached.

Counting a large library costs a few aggregate queries over its files: the answer is kept per library and
visibility class until the library's contents or access change, and refreshed on a thread before it expires.
"""

from __future__ import annotations

from django.db.models import Count, Sum

from apps.core import caching
from apps.media.selectors import (
    episodes_visible_to,
    files_visible_to,
    movies_visible_to,
    shows_visible_to,
    visibility_class,
)

STATS_SECONDS = 3600


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
