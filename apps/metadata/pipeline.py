"""Match and fill items in batches: TMDb is asked in a few threads (network only), the answers are written here.

Per item: an id it already has (NFO, file name, manual or earlier match) is used as it is, an IMDb/TVDB id is
looked up, else the title is searched (with its year, then without, scoring ±1 year); then one details call
with everything appended, and for shows one call per season present. Three calls at most for a movie.
"""

from __future__ import annotations

import logging
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Model
from django.utils import timezone

from apps.core import events
from apps.media.models import Episode, MetadataStatus, Movie, Show
from apps.metadata import matching
from apps.metadata.fill_movies import movie_values
from apps.metadata.fill_shows import season_counts, season_values, show_values
from apps.metadata.tmdb import client as tmdb
from apps.metadata.writing import episodes_fill, item_fill, wanted_seasons

logger = logging.getLogger(__name__)
BATCH = 50
THREADS = 4  # enough to keep 40 requests/s busy at TMDb's usual latency; the shared rate limit caps the rest
RETRY_FIRST, RETRY_MAX = timedelta(minutes=15), timedelta(days=1)
Progress = Callable[[int, int], None]


@dataclass(slots=True)
class Job:
    """What a lookup needs of an item, read before the threads start: they never touch the database."""

    kind: str  # "movie" | "show"
    pk: int
    title: str
    year: int | None
    tmdb_id: str
    imdb_id: str
    tvdb_id: str
    fixed: bool  # the tmdb id was chosen by a person or an NFO: never replaced by a search
    numbered: set[int] = field(default_factory=set)  # seasons our episodes are numbered in
    absolutes: set[int] = field(default_factory=set)


@dataclass(slots=True)
class Found:
    job: Job
    status: str = MetadataStatus.UNMATCHED
    error: str = ""
    score: float | None = None
    tmdb_id: int | None = None
    details: dict | None = None
    seasons: dict[int, dict] = field(default_factory=dict)


@dataclass
class RefreshCounts:
    """What a refresh did; `off` when no TMDb key is configured (nothing was asked)."""

    matched: int = 0
    unmatched: int = 0
    failed: int = 0
    off: bool = False

    @property
    def total(self) -> int:
        return self.matched + self.unmatched + self.failed

    def add(self, other: RefreshCounts) -> None:
        self.matched, self.unmatched, self.failed = (
            self.matched + other.matched,
            self.unmatched + other.unmatched,
            self.failed + other.failed,
        )


class _Outage:
    """Set once TMDb is down or refuses the key: the rest of the run is not asked, only marked for retry."""

    def __init__(self) -> None:
        self.reason = ""
        self.lock = threading.Lock()

    def set(self, reason: str) -> None:
        with self.lock:
            self.reason = self.reason or reason


def metadata_language() -> str:
    return settings.METADATA_LANGUAGE


def _id(text: str) -> int | None:
    return int(text) if text.isdigit() and 0 < int(text) < 2**31 else None


def _resolve(job: Job, found: Found) -> int | None:
    """The TMDb id of the item: its own, one found under its IMDb/TVDB id, or the best confident search result."""
    own = _id(job.tmdb_id)
    if own is not None:
        return own
    results_key = "movie_results" if job.kind == "movie" else "tv_results"
    for source, value in (("imdb_id", job.imdb_id), ("tvdb_id", job.tvdb_id if job.kind == "show" else "")):
        if value:
            try:
                listed = tmdb.find_by_external_id(external_id=value, source=source).get(results_key)
            except tmdb.TmdbNotFound:
                listed = None
            candidate = matching.candidate_of(listed[0], kind=job.kind) if isinstance(listed, list) and listed else None
            if candidate is not None:
                return candidate.tmdb_id
    return _search(job, found)


def _search(job: Job, found: Found) -> int | None:
    kind = job.kind
    search = tmdb.movie_search if kind == "movie" else tmdb.tv_search
    year_key = "year" if kind == "movie" else "first_air_date_year"
    best_score = 0.0
    # The year narrows remakes apart; without it (or when the file's year is off by one) the open search decides.
    for year in [job.year, None] if job.year else [None]:
        results = search(query=job.title, language=metadata_language(), **{year_key: year})
        candidate, score = matching.best_match(results, kind=kind, title=job.title, year=job.year)
        best_score = max(best_score, score)
        if candidate is not None:
            found.score = score
            return candidate.tmdb_id
    found.score = best_score or None
    return None


def lookup(job: Job, outage: _Outage) -> Found:
    """Ask TMDb about one item; every failure becomes a status and a short reason, never an exception."""
    found = Found(job=job)
    if outage.reason:
        found.status, found.error = MetadataStatus.FAILED, outage.reason
        return found
    try:
        fetch(job, found)
    except tmdb.TmdbAuthError as exc:
        outage.set(str(exc))
        found.status, found.error = MetadataStatus.FAILED, str(exc)
    except tmdb.TmdbUnavailable as exc:
        outage.set(str(exc))
        found.status, found.error = MetadataStatus.FAILED, str(exc)
    except tmdb.TmdbError as exc:
        found.status, found.error = MetadataStatus.FAILED, str(exc)
    except Exception as exc:  # a bug or an answer nobody foresaw must not stop the other items
        logger.exception("metadata lookup of %s %s failed", job.kind, job.pk)
        found.status, found.error = MetadataStatus.FAILED, f"TMDb lookup failed ({type(exc).__name__})"
    return found


def fetch(job: Job, found: Found) -> None:
    """Resolve the item's TMDb id and fetch its details (and seasons) into `found`; TmdbErrors propagate."""
    details_of = tmdb.movie_details if job.kind == "movie" else tmdb.tv_details
    tmdb_id = _resolve(job, found)
    details = None
    if tmdb_id is not None:
        try:
            details = details_of(tmdb_id=tmdb_id, language=metadata_language())
        except tmdb.TmdbNotFound:
            if job.fixed or _id(job.tmdb_id) != tmdb_id:
                found.error = f"TMDb: no {job.kind} with id {tmdb_id}"
                return
            job.tmdb_id = ""  # an id from a file name or an old match that TMDb dropped: search by name instead
            tmdb_id = _search(job, found)
            details = details_of(tmdb_id=tmdb_id, language=metadata_language()) if tmdb_id is not None else None
    if details is None:
        found.error = "TMDb: no match"
        return
    found.status, found.tmdb_id, found.details = MetadataStatus.MATCHED, tmdb_id, details
    if job.kind == "show":
        counts = season_counts(details)
        for number in wanted_seasons(numbered=job.numbered, absolutes=job.absolutes, counts=counts):
            try:
                found.seasons[number] = tmdb.season_details(
                    tmdb_id=tmdb_id, season_number=number, language=metadata_language()
                )
            except tmdb.TmdbNotFound:
                continue


def jobs_for(items: list[Movie] | list[Show]) -> list[Job]:
    """One Job per item; for shows, the season and absolute numbers of their episodes in one query."""
    numbered: dict[int, set[int]] = defaultdict(set)
    absolutes: dict[int, set[int]] = defaultdict(set)
    if items and isinstance(items[0], Show):
        rows = Episode.objects.filter(show_id__in=[i.pk for i in items]).values_list(
            "show_id", "season__season_number", "episode_number", "absolute_number"
        )
        for show_id, season, episode, absolute in rows:
            if episode is not None:
                numbered[show_id].add(season)
            elif absolute is not None:
                absolutes[show_id].add(absolute)
    return [
        Job(
            kind="movie" if isinstance(item, Movie) else "show",
            pk=item.pk,
            title=item.title,
            year=item.year,
            tmdb_id=item.tmdb_id.strip(),
            imdb_id=item.imdb_id.strip(),
            tvdb_id=getattr(item, "tvdb_id", "").strip(),
            fixed="tmdb_id" in item.locked_fields or "tmdb_id" in item.nfo_fields,
            numbered=numbered[item.pk],
            absolutes=absolutes[item.pk],
        )
        for item in items
    ]


def _country(item: Movie | Show) -> str:
    return (item.library.metadata_country or settings.METADATA_COUNTRY).upper()


def found_write(item: Movie | Show, found: Found, now: datetime) -> None:
    """Write one lookup's outcome: the filled item, or its status and reason (with a retry time on failure)."""
    if found.status == MetadataStatus.MATCHED:
        try:
            values = movie_values if isinstance(item, Movie) else show_values
            filled = values(found.details, country=_country(item), language=metadata_language())
            filled.fields.setdefault("tmdb_id", str(found.tmdb_id))
            item_fill(item=item, filled=filled, score=found.score, now=now)
            if isinstance(item, Show):
                seasons = {n: season_values(d) for n, d in found.seasons.items()}
                episodes_fill(show=item, seasons=seasons, counts=season_counts(found.details))
            return
        except Exception as exc:  # a hostile answer is this item's problem, not the batch's
            logger.exception("metadata fill of %s %s failed", found.job.kind, item.pk)
            found.status, found.error = MetadataStatus.FAILED, f"TMDb answer unusable ({type(exc).__name__})"
    retry_at = None
    if found.status == MetadataStatus.FAILED:
        retry_at = now + retry_delay(item)
    type(item).objects.filter(pk=item.pk).update(
        metadata_status=found.status,
        metadata_error=found.error[:300],
        match_score=found.score,
        metadata_refreshed_at=now,
        metadata_retry_at=retry_at,
    )


def retry_delay(item: Movie | Show) -> timedelta:
    """Doubles after each failure in a row (the last gap is retry time minus last try), 15 minutes to a day."""
    if item.metadata_status == MetadataStatus.FAILED and item.metadata_retry_at and item.metadata_refreshed_at:
        previous = item.metadata_retry_at - item.metadata_refreshed_at
        return min(RETRY_MAX, max(RETRY_FIRST, previous * 2))
    return RETRY_FIRST


def batch_run(model: type[Movie] | type[Show], ids: list[int], outage: _Outage) -> RefreshCounts:
    """Look up and write one batch of items; one `metadata.refreshed` event for the lot."""
    items = list(model.objects.filter(pk__in=ids).select_related("library").order_by("pk"))
    counts = RefreshCounts()
    if not items:
        return counts
    jobs = jobs_for(items)
    with ThreadPoolExecutor(max_workers=min(THREADS, len(jobs)), thread_name_prefix="tmdb") as pool:
        results = list(pool.map(lambda job: lookup(job, outage), jobs))
    now = timezone.now()
    for item, found in zip(items, results, strict=True):
        found_write(item, found, now)
        setattr(counts, str(found.status), getattr(counts, str(found.status)) + 1)
    events.emit(
        "metadata.refreshed",
        kind="movie" if model is Movie else "show",
        ids=[item.pk for item in items],
        library_ids=sorted({item.library_id for item in items}),
        matched=counts.matched,
        unmatched=counts.unmatched,
        failed=counts.failed,
    )
    return counts


def items_run(
    selections: Iterable[tuple[type[Model], list[int]]], *, progress: Progress | None = None
) -> RefreshCounts:
    """Run every selected item through TMDb in batches of BATCH, reporting progress after each."""
    selections = [(model, ids) for model, ids in selections if ids]
    total, done = sum(len(ids) for _model, ids in selections), 0
    counts, outage = RefreshCounts(), _Outage()
    for model, ids in selections:
        for start in range(0, len(ids), BATCH):
            counts.add(batch_run(model, ids[start : start + BATCH], outage))
            done += len(ids[start : start + BATCH])
            if progress is not None:
                progress(done, total)
    return counts
