"""movie.available / episode.available: announced once an item gains its first playable main file.

Playable: a main file (not an extra) whose probe succeeded. The indexer (scans, the watcher, Radarr and
Sonarr imports all go through it) asks which items were playable before it writes files, and announces
the ones that are playable after; a second file or a rescan of the same one announces nothing.
"""

from __future__ import annotations

from collections.abc import Iterable

from apps.core import events
from apps.media.models import Episode, MediaFile, Movie


def _playable_mains(owner: str, ids: set[int]) -> set[int]:
    # From the files' side, by their indexed owner column: the planner's row estimates lag behind a table that
    # a first scan fills, and `movie IN (…) AND EXISTS (file …)` on PostgreSQL then scanned every file per batch.
    if not ids:
        return set()
    playable = MediaFile.objects.filter(
        **{f"{owner}_id__in": ids}, extra_type="", probe_status=MediaFile.ProbeStatus.OK
    )
    return set(playable.order_by().values_list(f"{owner}_id", flat=True).distinct())


def items_playable(*, movie_ids: Iterable[int] = (), episode_ids: Iterable[int] = ()) -> tuple[set[int], set[int]]:
    """(movie ids, episode ids) among these that have a playable main file now."""
    return _playable_mains("movie", set(movie_ids)), _playable_mains("episode", set(episode_ids))


def availability_announce(
    *, movie_ids: Iterable[int], episode_ids: Iterable[int], before: tuple[set[int], set[int]]
) -> None:
    """Emit the availability events of the items that became playable since `before` (from items_playable)."""
    movies_now, episodes_now = items_playable(movie_ids=movie_ids, episode_ids=episode_ids)
    # Four columns, not whole movies: a first scan announces every movie it adds.
    announced = Movie.objects.filter(pk__in=movies_now - before[0]).order_by("pk")
    for movie_id, library_id, title, year in announced.values_list("pk", "library_id", "title", "year"):
        events.emit("movie.available", movie_id=movie_id, library_id=library_id, title=title, year=year)
    new_episodes = Episode.objects.filter(pk__in=episodes_now - before[1]).select_related("show", "season")
    for episode in new_episodes.order_by("pk"):
        events.emit(
            "episode.available",
            episode_id=episode.pk,
            show_id=episode.show_id,
            library_id=episode.show.library_id,
            show=episode.show.title,
            season=episode.season.season_number,
            episode=episode.episode_number,
            title=episode.title,
        )
