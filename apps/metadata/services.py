"""Writes of the metadata app: refresh items from TMDb (now or on the workers), and identify one by hand.

With no TMDb key nothing is asked: items keep what their names and NFO files say and stay "pending".
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from apps.audit.services import activity_record
from apps.core import dispatch, events
from apps.libraries.models import Library
from apps.media.edits import by_pk
from apps.media.models import Movie, Show
from apps.metadata import matching, pipeline, selectors
from apps.metadata.pipeline import Job, RefreshCounts
from apps.metadata.tmdb import client as tmdb

TASK_CHUNK = 500  # items per queued task: a worker that dies redoes at most this many
_LOCK_SECONDS = 3600


def _ids(items: Iterable | None) -> list[int]:
    return sorted({getattr(item, "pk", item) for item in items or ()})


def metadata_refresh(
    *,
    movies: Iterable[Movie | int] | None = None,
    shows: Iterable[Show | int] | None = None,
    library: Library | None = None,
    force: bool = False,
    progress: pipeline.Progress | None = None,
) -> RefreshCounts:
    """Look items up on TMDb and fill them, here and now: the given movies and shows, else those of `library`
    (or of every enabled library), only the due ones unless `force`. Locked and NFO-set fields stay as they are."""
    if not tmdb.tmdb_enabled():
        return RefreshCounts(off=True)
    if movies is not None or shows is not None:
        return pipeline.items_run([(Movie, _ids(movies)), (Show, _ids(shows))], progress=progress)
    now = None if force else timezone.now()
    # Two due-refreshes of one scope would only do the same work twice: the later one leaves it to the first.
    lock = f"metadata:refresh:{library.pk if library else 'all'}"
    if not force and not cache.add(lock, 1, timeout=_LOCK_SECONDS):
        return RefreshCounts()
    try:
        selections = [
            (
                model,
                list(selectors.items_for_refresh(model=model, library=library, now=now).values_list("pk", flat=True)),
            )
            for model in (Movie, Show)
        ]
        return pipeline.items_run(selections, progress=progress)
    finally:
        if not force:
            cache.delete(lock)


def metadata_refresh_enqueue(
    *,
    library: Library | None = None,
    movie_ids: Iterable[int] = (),
    show_ids: Iterable[int] = (),
    everything: bool = False,
) -> int:
    """Queue refreshes on the workers (after commit): these items, a library, or everything; how many tasks."""
    queued = 0
    for key, ids in (("movie_ids", _ids(movie_ids)), ("show_ids", _ids(show_ids))):
        for start in range(0, len(ids), TASK_CHUNK):
            dispatch.task_enqueue("metadata.refresh", kwargs={key: ids[start : start + TASK_CHUNK], "force": True})
            queued += 1
    if library is not None or everything:
        scopes = [library] if library is not None else list(Library.objects.filter(enabled=True))
        for scope in scopes:
            for model, key in ((Movie, "movie_ids"), (Show, "show_ids")):
                ids = list(selectors.items_for_refresh(model=model, library=scope).values_list("pk", flat=True))
                for start in range(0, len(ids), TASK_CHUNK):
                    dispatch.task_enqueue(
                        "metadata.refresh", kwargs={key: ids[start : start + TASK_CHUNK], "force": True}
                    )
                    queued += 1
    return queued


def identify_candidates(*, item: Movie | Show, query: str | None = None, year: int | None = None) -> list[dict]:
    """TMDb's answers for the item's title (or `query`), best first, each with our score: the Identify list.

    Raises TmdbError (str is a short reason to show) when TMDb cannot be asked.
    """
    kind = "movie" if isinstance(item, Movie) else "show"
    title = (query or "").strip() or item.title
    year = year if year is not None else (None if query else item.year)
    search = tmdb.movie_search if kind == "movie" else tmdb.tv_search
    year_key = "year" if kind == "movie" else "first_air_date_year"
    results: list = []
    for asked in [year, None] if year else [None]:
        results += search(query=title, language=pipeline.metadata_language(), **{year_key: asked})
    return [c.as_dict(score) for c, score in matching.ranked(results, kind=kind, title=title, year=year)]


def item_identify(*, item: Movie | Show, tmdb_id: int, by) -> Movie | Show:
    """Match the item to this TMDb title by hand: the id is locked against refreshes, and filled now.

    ValidationError when TMDb has no such title; TmdbError when it cannot be asked.
    """
    kind = "movie" if isinstance(item, Movie) else "show"
    if not isinstance(tmdb_id, int) or isinstance(tmdb_id, bool) or not 0 < tmdb_id < 2**31:
        raise ValidationError({"tmdb_id": "not a TMDb id"})
    job = Job(
        kind=kind,
        pk=item.pk,
        title=item.title,
        year=item.year,
        tmdb_id=str(tmdb_id),
        imdb_id="",
        tvdb_id="",
        fixed=True,
    )
    if kind == "show":
        episodes = pipeline.jobs_for([item])[0]
        job.numbered, job.absolutes = episodes.numbered, episodes.absolutes
    try:
        pipeline.fetch(job, found := pipeline.Found(job=job))
    except tmdb.TmdbNotFound:
        found.details = None
    if found.details is None:
        raise ValidationError({"tmdb_id": f"TMDb has no {kind} with id {tmdb_id}"})
    with transaction.atomic():
        locked = type(item).objects.select_for_update().get(pk=item.pk)
        locked.tmdb_id = str(tmdb_id)
        locked.locked_fields = [*[f for f in locked.locked_fields if f != "tmdb_id"], "tmdb_id"]
        locked.save(update_fields=["tmdb_id", "locked_fields", "updated_at"])
        found.score = None  # chosen by a person, not scored
        pipeline.found_write(locked, found, timezone.now())
        locked.refresh_from_db()
        activity_record(
            event="metadata_identified",
            actor=by,
            target=locked,
            message=f"identified the {kind} as TMDb {tmdb_id}",
            data={"kind": kind, "tmdb_id": tmdb_id},
        )
        events.emit(
            "catalogue.changed",
            kind=kind,
            id=locked.pk,
            library_id=locked.library_id,
            title=str(locked),
            fields=["tmdb_id"],
            by_id=by_pk(by),
        )
    return locked
