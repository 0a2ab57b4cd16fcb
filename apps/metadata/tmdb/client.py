"""The TMDb v3 client: one door for every call to The Movie Database.

Calls share one rate (ratelimit.py), retry with backoff on 429, 5xx and network failures, and are cached in the
Django cache (errors never are). Every failure is a TmdbError whose text is short and safe to show and store.
"""

from __future__ import annotations

import contextlib
import contextvars
import hashlib
import json
import logging
import random
import re
import threading
import time
from urllib.parse import quote, urlencode

from django.conf import settings
from django.core.cache import cache

from apps.core import caching
from apps.core.outbound import OutboundError, OutboundRedirect, OutboundRefused, Response, outbound_request
from apps.metadata.tmdb import ratelimit

logger = logging.getLogger(__name__)
TIMEOUT = 10.0  # seconds for one answer
ATTEMPTS = 4  # tries per call, the first included
BACKOFF = 0.5  # seconds before the first retry, doubled each time (tests lower it for speed)
MAX_WAIT = 10.0  # longest single wait, whatever Retry-After asks
MAX_TOTAL_WAIT = 30.0  # longest a call waits in all before giving up
# A person waiting on a page (request search) would rather see the fallback than wait out a worker's patience.
QUICK_ATTEMPTS, QUICK_TIMEOUT, QUICK_TOTAL_WAIT = 2, 4.0, 2.0
BODY_LIMIT = 8 << 20  # a details answer with every appended part is well under 1 MiB
DAY, WEEK = 86400, 7 * 86400
PATH = re.compile(r"^(/[A-Za-z0-9_-]{1,64}){1,8}$")
IMAGE_PATH = re.compile(r"^/[A-Za-z0-9_-]{1,100}\.(jpg|jpeg|png|webp|svg)$")
IMAGE_SIZE = re.compile(r"^([wh][0-9]{2,4}|original)$")
EXTERNAL_ID = {"imdb_id": re.compile(r"^(tt|nm)[0-9]{1,10}$"), "tvdb_id": re.compile(r"^[0-9]{1,10}$")}


class TmdbError(Exception):
    """A TMDb call that did not work; `str()` is a short reason that quotes nothing TMDb sent."""


class TmdbNotFound(TmdbError):
    """TMDb has no such thing (404): not worth asking again."""


class TmdbUnavailable(TmdbError):
    """TMDb could not be reached or is overloaded (network, timeout, 5xx, 429 after retries): try again later."""


class TmdbAuthError(TmdbError):
    """TMDb refused the key or token, or none is configured."""


_quick = contextvars.ContextVar("tmdb_quick", default=False)
_counts = {"api": 0, "image": 0}
_counts_lock = threading.Lock()


def calls_made(kind: str | None = None) -> int:
    """HTTP requests this process sent to TMDb ("api", "image" or both), retries included, cache hits not."""
    with _counts_lock:
        return _counts[kind] if kind else sum(_counts.values())


@contextlib.contextmanager
def quick():
    """Calls made inside answer a person waiting on a page: two tries, a short timeout, little waiting between."""
    token = _quick.set(True)
    try:
        yield
    finally:
        _quick.reset(token)


def tmdb_enabled() -> bool:
    return bool(settings.TMDB_API_KEY or settings.TMDB_TOKEN)


def _retry_after(response: Response) -> float | None:
    try:
        return max(0.0, float(response.headers.get("retry-after", "")))
    except ValueError:
        return None  # absent, or an HTTP date: back off as for any other failure


def _send(url: str, *, kind: str, headers: dict[str, str], limit: int) -> Response:
    """GET with retries; the answer is a 2xx or 404 (or a 4xx that retrying cannot change)."""
    waited, problem = 0.0, "TMDb unreachable"
    hurried = _quick.get()
    attempts, timeout = (QUICK_ATTEMPTS, QUICK_TIMEOUT) if hurried else (ATTEMPTS, TIMEOUT)
    total_wait = QUICK_TOTAL_WAIT if hurried else MAX_TOTAL_WAIT
    for attempt in range(attempts):
        if kind == "api":
            ratelimit.acquire()  # the image CDN is not under the API's rate
        with _counts_lock:
            _counts[kind] += 1
        try:
            # The TMDb URLs come from the operator's environment, not from a person: a LAN mirror or the test
            # stand-in on 127.0.0.1 is theirs to choose. The address is still checked and pinned.
            response = outbound_request("GET", url, headers=headers, timeout=timeout, allow_private=True, limit=limit)
        except OutboundRedirect as exc:
            raise TmdbError(f"TMDb: HTTP {exc.status}") from exc
        except OutboundRefused as exc:
            if not str(exc).startswith("cannot resolve"):
                raise TmdbError(f"TMDb URL refused: {exc}") from exc
            wait, problem = None, "TMDb unreachable (name not resolved)"
        except OutboundError as exc:
            wait, problem = None, f"TMDb unreachable ({exc})"
        else:
            if response.status == 401:
                raise TmdbAuthError("TMDb refused the API key")
            if (
                response.status < 300
                or response.status == 404
                or (400 <= response.status < 500 and response.status != 429)
            ):
                return response
            wait = _retry_after(response) if response.status == 429 else None
            if wait is not None:
                ratelimit.hold(min(wait, MAX_WAIT))
            problem = "TMDb is rate limiting requests" if response.status == 429 else f"TMDb: HTTP {response.status}"
        if attempt + 1 == attempts:
            break
        jitter = random.uniform(1, 1.25)  # noqa: S311 - spreads workers' retries apart; not a secret
        wait = min(MAX_WAIT, wait if wait is not None else BACKOFF * 2**attempt * jitter)
        if waited + wait > total_wait:
            break
        logger.info("TMDb call failed (%s); retrying in %.1f s", problem, wait)
        time.sleep(wait)
        waited += wait
    raise TmdbUnavailable(problem)


def _cache_key(path: str, params: dict) -> str:
    digest = hashlib.sha256(json.dumps([path, sorted(params.items())], default=str).encode()).hexdigest()
    return f"tmdb:{digest}"


def _cached(key: str) -> dict | None:
    try:
        found = cache.get(key)
    except Exception:  # a cache that fails is a cache that missed
        logger.warning("TMDb: the cache did not answer", exc_info=True)
        return None
    found = found if isinstance(found, dict) else None
    caching.record("tmdb", hit=found is not None)
    return found


def _remember(key: str, value: dict, seconds: int) -> None:
    try:
        cache.set(key, value, timeout=seconds)
    except Exception:  # the answer is good even if it cannot be kept
        logger.warning("TMDb: could not cache an answer", exc_info=True)


def tmdb_get(path: str, *, params: dict | None = None, cache_seconds: int = DAY) -> dict:
    """GET `path` (e.g. "/movie/603") under TMDB_URL; the answer must be a JSON object."""
    if not PATH.match(path):
        raise TmdbError("TMDb: not a valid request")
    if not tmdb_enabled():
        raise TmdbAuthError("TMDb has no API key")
    params = {k: str(v) for k, v in (params or {}).items() if v is not None}
    key = _cache_key(path, params)
    if cache_seconds and (found := _cached(key)) is not None:
        return found
    headers = {"Accept": "application/json", "User-Agent": "Revenge"}
    sent = dict(params)
    if settings.TMDB_TOKEN:
        headers["Authorization"] = f"Bearer {settings.TMDB_TOKEN}"
    else:
        sent["api_key"] = settings.TMDB_API_KEY
    url = f"{settings.TMDB_URL}{path}?{urlencode(sorted(sent.items()))}"
    response = _send(url, kind="api", headers=headers, limit=BODY_LIMIT + 1)
    if response.status == 404:
        raise TmdbNotFound("TMDb: not found")
    if response.status >= 300:
        raise TmdbError(f"TMDb: HTTP {response.status}")
    if len(response.body) > BODY_LIMIT:
        raise TmdbError("TMDb: answer too large")
    try:
        answer = json.loads(response.body)
    except ValueError as exc:
        raise TmdbError("TMDb: broken answer") from exc
    if not isinstance(answer, dict):
        raise TmdbError("TMDb: broken answer")
    if cache_seconds:
        _remember(key, answer, cache_seconds)
    return answer


def image_bytes(*, file_path: str, size: str = "original", limit: int = 20 << 20) -> bytes:
    """The picture at `file_path` (as TMDb answers name it, "/abc.jpg") in `size`; never cached here."""
    if not isinstance(file_path, str) or not IMAGE_PATH.match(file_path) or not IMAGE_SIZE.match(size):
        raise TmdbError("TMDb: not a valid image path")
    url = f"{settings.TMDB_IMAGE_URL}/{size}{quote(file_path)}"
    response = _send(url, kind="image", headers={"User-Agent": "Revenge"}, limit=limit + 1)
    if response.status == 404:
        raise TmdbNotFound("TMDb: image not found")
    if response.status >= 300:
        raise TmdbError(f"TMDb: HTTP {response.status}")
    if len(response.body) > limit:
        raise TmdbError("TMDb: image too large")
    return response.body


# --- The endpoints Revenge uses -------------------------------------------------------------------------------


def _language(language: str | None) -> str:
    return language or settings.METADATA_LANGUAGE


def _image_languages(language: str) -> str:
    """Pictures in the language, without text (null), and English ones to fall back on."""
    short = language.split("-")[0].lower()
    return ",".join(dict.fromkeys([short, "null", "en"]))


def _results(answer: dict, name: str = "results") -> list[dict]:
    found = answer.get(name)
    if not isinstance(found, list):
        raise TmdbError("TMDb: broken answer")
    return [item for item in found if isinstance(item, dict)]


def movie_search(*, query: str, year: int | None = None, language: str | None = None) -> list[dict]:
    """The first page of films whose title matches `query`, most popular first."""
    if not (query or "").strip():
        return []
    params = {"query": query.strip(), "year": year, "language": _language(language), "include_adult": "false"}
    return _results(tmdb_get("/search/movie", params={**params, "page": 1}))


def tv_search(*, query: str, first_air_date_year: int | None = None, language: str | None = None) -> list[dict]:
    """The first page of series whose name matches `query`, most popular first."""
    if not (query or "").strip():
        return []
    params = {"query": query.strip(), "first_air_date_year": first_air_date_year, "language": _language(language)}
    return _results(tmdb_get("/search/tv", params={**params, "include_adult": "false", "page": 1}))


def _details(path: str, parts: str, language: str | None) -> dict:
    language = _language(language)
    params = {"append_to_response": parts, "language": language, "include_image_language": _image_languages(language)}
    return tmdb_get(path, params=params)


def movie_details(*, tmdb_id: int, language: str | None = None) -> dict:
    """A film with its credits, release dates (certifications), external ids and images."""
    return _details(f"/movie/{int(tmdb_id)}", "credits,release_dates,external_ids,images", language)


def tv_details(*, tmdb_id: int, language: str | None = None) -> dict:
    """A series with its credits, content ratings, external ids (tvdb_id, imdb_id) and images."""
    return _details(f"/tv/{int(tmdb_id)}", "credits,content_ratings,external_ids,images", language)


def season_details(*, tmdb_id: int, season_number: int, language: str | None = None) -> dict:
    """One season of a series with its episodes."""
    path = f"/tv/{int(tmdb_id)}/season/{int(season_number)}"
    return tmdb_get(path, params={"language": _language(language)})


def find_by_external_id(*, external_id: str, source: str) -> dict:
    """What TMDb knows under an IMDb or TVDB id: {"movie_results": [...], "tv_results": [...], ...}."""
    if source not in EXTERNAL_ID:
        raise ValueError(f"source must be one of {sorted(EXTERNAL_ID)}")
    external_id = str(external_id).strip()
    if not EXTERNAL_ID[source].match(external_id):
        raise TmdbNotFound(f"TMDb: not a valid {source}")  # from a file: nothing to find under it
    return tmdb_get(f"/find/{external_id}", params={"external_source": source})


def person_details(*, tmdb_id: int, language: str | None = None) -> dict:
    return tmdb_get(f"/person/{int(tmdb_id)}", params={"language": _language(language)})


def configuration() -> dict:
    """Image base URLs and sizes; TMDb asks clients to keep it a few days."""
    return tmdb_get("/configuration", cache_seconds=WEEK)


def genres(*, kind: str, language: str | None = None) -> list[dict]:
    """The genre list ({"id", "name"}) of "movie" or "tv"."""
    if kind not in ("movie", "tv"):
        raise ValueError('kind must be "movie" or "tv"')
    answer = tmdb_get(f"/genre/{kind}/list", params={"language": _language(language)}, cache_seconds=WEEK)
    return _results(answer, "genres")
