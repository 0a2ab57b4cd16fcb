"""Library summary: per library the operator sees, its titles, files, size, running time and last scan; and the
titles added last, with posters."""

from __future__ import annotations

from django.db.models import Count, Sum

from apps.console.panels.posters import posters_of
from apps.libraries.selectors import libraries_visible_to
from apps.media.selectors import files_visible_to, movies_visible_to, shows_visible_to

RECENT = 12


def _counts(queryset) -> dict[int, int]:
    return dict(queryset.order_by().values("library_id").annotate(n=Count("pk")).values_list("library_id", "n"))


def build(*, user) -> dict:
    libraries = list(libraries_visible_to(user=user).order_by("name"))
    movies, shows = movies_visible_to(user=user), shows_visible_to(user=user)
    titles = {**_counts(movies), **_counts(shows)}  # a library holds one kind: the two never share an id
    files = {
        row["library_id"]: row
        for row in files_visible_to(user=user)
        .order_by()
        .values("library_id")
        .annotate(files=Count("pk"), size=Sum("size"), duration=Sum("duration"))
    }
    rows = [
        {
            "library": library,
            "titles": titles.get(library.pk, 0),
            "files": files.get(library.pk, {}).get("files", 0),
            "size": files.get(library.pk, {}).get("size"),
            "duration": files.get(library.pk, {}).get("duration"),
        }
        for library in libraries
    ]
    recent_movies = list(movies.order_by("-added_at").only("pk", "title", "year", "added_at")[:RECENT])
    recent_shows = list(shows.order_by("-added_at").only("pk", "title", "year", "added_at")[:RECENT])
    recent = sorted(
        [("movie", m) for m in recent_movies] + [("show", s) for s in recent_shows],
        key=lambda pair: pair[1].added_at,
        reverse=True,
    )[:RECENT]
    posters = posters_of(movie_ids={m.pk for m in recent_movies}, show_ids={s.pk for s in recent_shows})
    return {
        "rows": rows,
        "recent": [{"kind": kind, "item": item, "poster": posters.get((kind, item.pk), "")} for kind, item in recent],
    }
