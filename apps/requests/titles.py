"""Where request search finds titles: TMDb when it is configured, else the default Radarr/Sonarr's lookup.

Each source answers plain dicts of one shape ({tmdb_id, tvdb_id, title, year, overview, poster, seasons}), checked
field by field: both are outside answers, and an item without the id a request is keyed by (a film's tmdb id, a
show's tvdb id) cannot be requested, so it is not shown at all.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache

from apps.metadata import tmdb
from apps.metadata.tmdb.client import IMAGE_PATH
from apps.requests.arr import ArrError
from apps.requests.models import ArrServer, MediaRequest
from apps.requests.servers import arr_client, arr_server_unavailable, poster_of

logger = logging.getLogger(__name__)
T = TypeVar("T")
LIMIT = 50  # results shown at most, whatever a source lists
SHOW_DETAILS = 10  # shows asked for their tvdb id and seasons per search: one TMDb call each (cached a day)
DETAILS_THREADS = 4  # those calls side by side: a cold show search waits ~3 answers, not 10 (bench/request_search.py)
MAX_ID = 2**31 - 1  # what a request's id field and the request form take
RESTING_KEY = "requests:tmdb-resting"
REST_SECONDS = 30  # after TMDb failed, searches go to Radarr/Sonarr for this long instead of waiting on it again
POSTER_SIZE = "w185"
ID_QUERY = re.compile(r"^\s*(tmdb|tvdb):\s*([0-9]{1,10})\s*$", re.IGNORECASE)


def _id(value) -> int | None:
    return value if type(value) is int and 0 < value <= MAX_ID else None


def _text(value, limit: int) -> str:
    return value.strip()[:limit] if isinstance(value, str) else ""


def _year(date) -> int | None:
    year = date[:4] if isinstance(date, str) and re.match(r"^[0-9]{4}-", date) else ""
    return int(year) if year and 1800 < int(year) < 3000 else None


def _seasons(listed, key: str) -> list[int]:
    numbers = {s.get(key) for s in listed if isinstance(s, dict)} if isinstance(listed, list) else set()
    return sorted(n for n in numbers if type(n) is int and 0 <= n <= 1000)


def _title(*, tmdb_id, tvdb_id, title, year, overview, poster, seasons) -> dict:
    return {
        "tmdb_id": tmdb_id,
        "tvdb_id": tvdb_id,
        "title": title,
        "year": year,
        "overview": overview,
        "poster": poster,
        "seasons": seasons,
    }


def _unique(found: list[dict], key: str) -> list[dict]:
    """The first of each id, at most LIMIT: a source that lists a title twice shows it once."""
    seen, kept = set(), []
    for item in found:
        if item[key] not in seen:
            seen.add(item[key])
            kept.append(item)
    return kept[:LIMIT]


# --- TMDb ---------------------------------------------------------------------------------------------------


def tmdb_resting() -> bool:
    """TMDb failed a moment ago: search elsewhere rather than make every keystroke wait on it."""
    return bool(cache.get(RESTING_KEY))


def tmdb_rest(exc: Exception) -> None:
    logger.warning("request search: TMDb cannot be asked (%s); using Radarr/Sonarr for %s s", exc, REST_SECONDS)
    cache.set(RESTING_KEY, True, REST_SECONDS)


UNASKED = object()  # what tmdb_asked answers when TMDb is off, resting or just failed


def tmdb_asked(ask: Callable[[], T]) -> T | object:
    """`ask()` of TMDb when it is configured and not resting; UNASKED otherwise, and when it fails (it rests then):
    the caller asks Radarr/Sonarr instead."""
    if not tmdb.tmdb_enabled() or tmdb_resting():
        return UNASKED
    try:
        return ask()
    except tmdb.TmdbError as exc:
        tmdb_rest(exc)
        return UNASKED


def tmdb_poster(path) -> str:
    """TMDb's own picture URL (w185), as Radarr's lookup hands out: only a path shaped as TMDb names them."""
    if not isinstance(path, str) or not IMAGE_PATH.match(path):
        return ""
    return f"{settings.TMDB_IMAGE_URL}/{POSTER_SIZE}{path}"


def _tmdb_movie(item: dict) -> dict | None:
    tmdb_id, title = _id(item.get("id")), _text(item.get("title"), 500)
    if tmdb_id is None or not title:
        return None
    return _title(
        tmdb_id=tmdb_id,
        tvdb_id=None,
        title=title,
        year=_year(item.get("release_date")),
        overview=_text(item.get("overview"), 2000),
        poster=tmdb_poster(item.get("poster_path")),
        seasons=[],
    )


def _tmdb_show(details: dict, tmdb_id: int) -> dict | None:
    """A show from its details: requests of shows are keyed by the tvdb id, so one without it is left out."""
    external = details.get("external_ids")
    tvdb_id = _id(external.get("tvdb_id")) if isinstance(external, dict) else None
    title = _text(details.get("name"), 500)
    if _id(details.get("id")) != tmdb_id or tvdb_id is None or not title:
        return None
    return _title(
        tmdb_id=tmdb_id,
        tvdb_id=tvdb_id,
        title=title,
        year=_year(details.get("first_air_date")),
        overview=_text(details.get("overview"), 2000),
        poster=tmdb_poster(details.get("poster_path")),
        seasons=_seasons(details.get("seasons"), "season_number"),
    )


def _tmdb_movies(q: str) -> list[dict]:
    wanted = ID_QUERY.match(q)
    if wanted and wanted[1].lower() == "tmdb":
        try:
            found = [tmdb.movie_details(tmdb_id=int(wanted[2]))]
        except tmdb.TmdbNotFound:
            return []
    elif wanted:
        return []  # films are requested by tmdb id; a tvdb id names none
    else:
        found = tmdb.movie_search(query=q)
    return _unique([t for t in (_tmdb_movie(i) for i in found if isinstance(i, dict)) if t], "tmdb_id")


def _tmdb_show_ids(q: str) -> list[int]:
    wanted = ID_QUERY.match(q)
    if wanted and wanted[1].lower() == "tmdb":
        return [int(wanted[2])]
    if wanted:
        answer = tmdb.find_by_external_id(external_id=wanted[2], source="tvdb_id")
        found = answer.get("tv_results")
    else:
        found = tmdb.tv_search(query=q)
    ids = [_id(i.get("id")) for i in found if isinstance(i, dict)] if isinstance(found, list) else []
    return list(dict.fromkeys(n for n in ids if n is not None))[:SHOW_DETAILS]


_pool: ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()


def _details_pool() -> ThreadPoolExecutor:
    """Made on first use, so each forked web or worker process has its own threads."""
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(max_workers=DETAILS_THREADS, thread_name_prefix="request-search")
        return _pool


def _tmdb_show_details(tmdb_id: int) -> dict | None:
    # The pool's threads do not inherit the caller's quick mode: each call says so itself.
    with tmdb.quick():
        try:
            return _tmdb_show(tmdb.tv_details(tmdb_id=tmdb_id), tmdb_id)
        except tmdb.TmdbNotFound:
            return None  # listed by search yet gone: nothing to request


def _tmdb_shows(q: str) -> list[dict]:
    shows = _details_pool().map(_tmdb_show_details, _tmdb_show_ids(q))  # in search order; a failure raises here
    return _unique([show for show in shows if show is not None], "tvdb_id")


def tmdb_titles(*, kind: str, q: str) -> list[dict]:
    """Films (search/movie) or shows (search/tv, then each show's details for its tvdb id and seasons).

    Raises TmdbError when TMDb cannot be asked or answers something that is not TMDb's shape.
    """
    with tmdb.quick():
        return _tmdb_movies(q) if kind == MediaRequest.Kind.MOVIE else _tmdb_shows(q)


def tmdb_title(*, kind: str, external_id: int) -> dict | None:
    """The title under the id a request is keyed by (a film's tmdb id, a show's tvdb id); None when TMDb has none."""
    movie = kind == MediaRequest.Kind.MOVIE
    found = tmdb_titles(kind=kind, q=f"{'tmdb' if movie else 'tvdb'}:{external_id}")
    return next((t for t in found if t["tmdb_id" if movie else "tvdb_id"] == external_id), None)


# --- Radarr / Sonarr ----------------------------------------------------------------------------------------


def arr_titles(*, server: ArrServer, kind: str, q: str) -> list[dict]:
    """The server's lookup (it takes tmdb:ID / tvdb:ID too); ServerUnavailable when it cannot be asked."""
    try:
        found = arr_client(server, retries=1).lookup(q)
    except ArrError as exc:
        raise arr_server_unavailable(server, exc) from exc
    id_key = "tmdbId" if kind == MediaRequest.Kind.MOVIE else "tvdbId"
    titles = [
        _title(
            tmdb_id=_id(item.get("tmdbId")),
            tvdb_id=_id(item.get("tvdbId")),
            title=str(item.get("title") or "")[:500],
            year=item.get("year") if type(item.get("year")) is int else None,
            overview=str(item.get("overview") or "")[:2000],
            poster=poster_of(item),
            seasons=_seasons(item.get("seasons"), "seasonNumber"),
        )
        for item in (found if isinstance(found, list) else [])
        if isinstance(item, dict) and _id(item.get(id_key))
    ]
    return _unique(titles, "tmdb_id" if kind == MediaRequest.Kind.MOVIE else "tvdb_id")


def arr_title(*, server: ArrServer, kind: str, external_id: int) -> dict | None:
    """The title as the server's lookup knows it under a request's id; None when it knows none."""
    movie = kind == MediaRequest.Kind.MOVIE
    found = arr_titles(server=server, kind=kind, q=f"{'tmdb' if movie else 'tvdb'}:{external_id}")
    return next((t for t in found if t["tmdb_id" if movie else "tvdb_id"] == external_id), None)
