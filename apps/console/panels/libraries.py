"""Library summary: per library the operator sees, its titles, files, size, running time and last scan; and the
titles added last, with posters."""

from __future__ import annotations

import hashlib

from django.core.cache import cache
from django.db.models import Count, Sum

from apps.console.panels.posters import posters_of
from apps.libraries.models import Library
from apps.libraries.selectors import libraries_visible_to
from apps.media.selectors import files_visible_to, movies_visible_to, shows_visible_to

RECENT = 12
# Counting 100,000 files takes a few hundred ms: the totals are kept this long, and counted again sooner when a
# visible library finishes a scan (its last_scanned_at is part of the key), so a refresh every 2 s stays cheap.
TOTALS_SECONDS = 60


def _counts(queryset) -> dict[int, int]:
    return dict(queryset.order_by().values("library_id").annotate(n=Count("pk")).values_list("library_id", "n"))


def _totals(user, libraries: list) -> dict[int, dict]:
    """{library id: titles, files, size, duration} as this user may count them (their limits apply)."""
    stamp = ",".join(f"{lib.pk}:{lib.last_scanned_at.timestamp() if lib.last_scanned_at else 0}" for lib in libraries)
    key = f"console:library-totals:{user.pk}:{hashlib.sha256(stamp.encode()).hexdigest()[:24]}"
    totals = cache.get(key)
    if totals is None:
        titles = {**_counts(movies_visible_to(user=user)), **_counts(shows_visible_to(user=user))}
        files = (
            files_visible_to(user=user)
            .order_by()
            .values("library_id")
            .annotate(files=Count("pk"), size=Sum("size"), duration=Sum("duration"))
        )
        totals = {library.pk: {"titles": titles.get(library.pk, 0), "files": 0} for library in libraries}
        for row in files:
            totals.setdefault(row["library_id"], {"titles": 0}).update(
                files=row["files"], size=row["size"], duration=row["duration"]
            )
        cache.set(key, totals, TOTALS_SECONDS)
    return totals


def build(*, user) -> dict:
    libraries = list(libraries_visible_to(user=user).order_by("name"))
    totals = _totals(user, libraries)
    rows = [{"library": library, **totals.get(library.pk, {"titles": 0, "files": 0})} for library in libraries]
    kinds = {library.kind for library in libraries}
    fields = ("pk", "title", "year", "added_at")
    recent_movies = (
        list(movies_visible_to(user=user).order_by("-added_at").only(*fields)[:RECENT])
        if Library.Kind.MOVIES in kinds
        else []
    )
    recent_shows = (
        list(shows_visible_to(user=user).order_by("-added_at").only(*fields)[:RECENT])
        if Library.Kind.SHOWS in kinds
        else []
    )
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
