"""Fetch the bytes of pending artwork (a file beside the media, or TMDb's), check them and record what they are.

An artwork is pending while it has neither a hash nor an error. A refused image gets its reason in `error`
and is not tried again until a scan or a refresh makes a new row; a provider that is down leaves it pending.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.db.models import Q

from apps.core import caching
from apps.libraries.containment import LEAVES, PathRefused, open_contained
from apps.libraries.models import Library
from apps.media.models import Artwork
from apps.metadata.images.store import MAX_BYTES, ImageRefused, image_store
from apps.metadata.tmdb.client import TmdbAuthError, TmdbError, TmdbUnavailable, image_bytes, tmdb_enabled

logger = logging.getLogger(__name__)

BATCH = 100
OWNERS_LIBRARY = ("movie__library", "show__library", "season__show__library", "episode__show__library")
ERROR_LENGTH = Artwork._meta.get_field("error").max_length


class FetchLater(Exception):
    """The bytes cannot be had right now (the provider is down); the artwork stays pending."""


@dataclass
class FetchCounts:
    stored: int = 0
    refused: int = 0
    pending: int = 0  # left for a later run as the provider was unavailable (1: it was found down, and left alone)


def artwork_fetch(*, artwork: Artwork) -> bool:
    """Fetch, check and store one artwork's image; True when it is now usable. Never raises for a bad image."""
    try:
        return _fetch(artwork)
    except FetchLater as exc:
        logger.info("artwork %s left pending: %s", artwork.pk, exc)
        return False


def _fetch(artwork: Artwork) -> bool:
    """artwork_fetch, except that a provider that cannot answer now raises FetchLater."""
    try:
        stored = image_store(data=_bytes(artwork))
    except ImageRefused as exc:
        _record(artwork, error=exc.reason[:ERROR_LENGTH])
        return False
    _record(
        artwork,
        content_hash=stored.content_hash,
        width=stored.width,
        height=stored.height,
        blurhash=stored.blurhash,
        error="",
    )
    return True


def artworks_pending(*, library: Library | None = None):
    """Artwork without a hash or an error, of one library (its titles, seasons, episodes) or everywhere."""
    pending = Artwork.objects.filter(content_hash="", error="")
    if library is not None:
        pending = pending.filter(
            Q(movie__library=library)
            | Q(show__library=library)
            | Q(season__show__library=library)
            | Q(episode__show__library=library)
        )
    return pending


def artworks_fetch(*, library: Library | None = None, limit: int = 1000) -> FetchCounts:
    """Fetch up to `limit` pending artworks, a batch at a time; what the provider could not give stays pending."""
    counts, coalesced = FetchCounts(), caching.bumps_coalesced()
    with coalesced:
        return _fetch_batches(counts, library=library, limit=limit)


def _fetch_batches(counts: FetchCounts, *, library: Library | None, limit: int) -> FetchCounts:
    pending, after = artworks_pending(library=library).select_related(*OWNERS_LIBRARY).order_by("pk"), 0
    while counts.stored + counts.refused + counts.pending < limit:
        size = min(BATCH, limit - counts.stored - counts.refused - counts.pending)
        batch = list(pending.filter(pk__gt=after)[:size])
        if not batch:
            break
        for artwork in batch:
            after = artwork.pk
            try:
                done = _fetch(artwork)
            except FetchLater as exc:
                # Each further call would wait out the client's retries: TMDb's artwork waits for a later run.
                logger.info("TMDb artwork left pending: %s", exc)
                pending = pending.exclude(source=Artwork.Source.TMDB)
                counts.pending += 1
                break
            if done:
                counts.stored += 1
            else:
                counts.refused += 1
    return counts


def _bytes(artwork: Artwork) -> bytes:
    if artwork.source == Artwork.Source.LOCAL:
        return _local_bytes(artwork)
    if artwork.source == Artwork.Source.TMDB:
        return _tmdb_bytes(artwork)
    raise ImageRefused(f"unknown image source {artwork.source!r}")


def _local_bytes(artwork: Artwork) -> bytes:
    library = _library_of(artwork)
    if library is None:
        raise ImageRefused("a file of no library (only titles, seasons and episodes have files beside them)")
    try:
        with open_contained(path=artwork.path, library=library) as handle:
            data = handle.read(MAX_BYTES + 1)  # one byte more than allowed is enough to refuse it
    except PathRefused:
        raise ImageRefused(f"not read: {LEAVES} (or is not a regular file)") from None
    except FileNotFoundError:
        raise ImageRefused("the file is missing") from None
    except OSError as exc:
        raise ImageRefused(f"the file cannot be read ({exc.strerror or type(exc).__name__})") from None
    return data


def _tmdb_bytes(artwork: Artwork) -> bytes:
    if not tmdb_enabled():
        raise FetchLater("TMDb is switched off (no key or token)")  # its artwork waits; nobody asks TMDb
    try:
        return image_bytes(file_path=artwork.path, limit=MAX_BYTES)
    except (TmdbUnavailable, TmdbAuthError) as exc:
        raise FetchLater(str(exc)) from None
    except TmdbError as exc:  # not found, a bad path, too large: asking again would not help
        raise ImageRefused(str(exc)) from None


def _library_of(artwork: Artwork) -> Library | None:
    if artwork.movie_id:
        return artwork.movie.library
    if artwork.show_id:
        return artwork.show.library
    if artwork.season_id:
        return artwork.season.show.library
    if artwork.episode_id:
        return artwork.episode.show.library
    return None


def _record(artwork: Artwork, **fields) -> None:
    # Only while still pending: a row a rescan replaced or another worker finished is left as it is.
    if Artwork.objects.filter(pk=artwork.pk, content_hash="", error="").update(**fields):
        caching.bump("images")  # the image endpoint's remembered answers (which image an item shows) are stale
    for name, value in fields.items():
        setattr(artwork, name, value)
