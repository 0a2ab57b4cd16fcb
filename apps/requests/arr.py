"""Radarr and Sonarr API v3 clients: `X-Api-Key`, timeouts, retries with backoff, errors that say what went wrong."""

from __future__ import annotations

import json
import logging
import time
import urllib.parse
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from apps.core.outbound import OutboundError, OutboundRefused, outbound_request

logger = logging.getLogger(__name__)
USER_AGENT = "Revenge/1 (+requests)"
ANSWER_LIMIT = 32 << 20  # a Sonarr series lookup with every season and image can run to megabytes


class ArrError(Exception):
    """Something Radarr/Sonarr did not do; `str()` is a sentence for an operator."""

    status: int | None = None


class ArrUnreachable(ArrError):
    """No answer: wrong address, server down, or too slow."""


class ArrRefused(ArrError):
    """The outbound guard refused the address (the server's own network without the admin opt-in)."""


class ArrUnauthorized(ArrError):
    status = 401


class ArrNotFound(ArrError):
    status = 404


class ArrRejected(ArrError):
    """The server refused the request (400/409/422), with its own messages."""

    def __init__(self, message: str, *, status: int, problems: list[str]) -> None:
        super().__init__(message)
        self.status, self.problems = status, problems


class ArrServerError(ArrError):
    """The server failed (5xx) after every retry."""


def _problems(body: Any) -> list[str]:
    """Radarr/Sonarr validation failures are a list of {propertyName, errorMessage}; other errors {message}.
    Only those documented messages are kept (300 characters each), never the rest of what came back."""
    items = body if isinstance(body, list) else [body]
    found = [item.get("errorMessage") or item.get("message") for item in items if isinstance(item, dict)]
    return [text[:300] for text in found if isinstance(text, str) and text]


@dataclass
class ArrClient:
    """One Radarr or Sonarr server; `kind` is "radarr" or "sonarr"."""

    kind: str
    base_url: str
    api_key: str
    timeout: float = 10.0
    retries: int = 3
    backoff: float = 0.5
    allow_private: bool = False  # the admin opt-in of the server: may reach the server's own network

    def __post_init__(self) -> None:
        parsed = urllib.parse.urlparse(self.base_url)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise ValueError(f"{self.base_url!r} is not an http(s) address such as http://radarr:7878")
        if self.kind not in ("radarr", "sonarr"):
            raise ValueError(f"unknown kind {self.kind!r}: radarr or sonarr")
        self.base_url = self.base_url.rstrip("/")

    # --- the API ------------------------------------------------------------------------------------

    def system_status(self) -> dict:
        """ "Test connection": the server's name and version."""
        return self._call("GET", "/api/v3/system/status")

    def quality_profiles(self) -> list[dict]:
        return self._call("GET", "/api/v3/qualityprofile")

    def language_profiles(self) -> list[dict]:
        """Sonarr v3's language profiles; Sonarr v4 dropped them (404, or a deprecated empty list): none."""
        if self.kind != "sonarr":
            return []
        try:
            return self._call("GET", "/api/v3/languageprofile") or []
        except ArrNotFound:
            return []

    def root_folders(self) -> list[dict]:
        return self._call("GET", "/api/v3/rootfolder")

    def lookup(self, term: str) -> list[dict]:
        """Titles matching `term` (movies on Radarr, series on Sonarr); also accepts tmdb:ID / tvdb:ID."""
        path = "/api/v3/movie/lookup" if self.kind == "radarr" else "/api/v3/series/lookup"
        return self._call("GET", path, params={"term": term})

    def movie_get(self, arr_id: int) -> dict:
        """One movie of Radarr's library (`hasFile` says whether it was imported)."""
        return self._call("GET", f"/api/v3/movie/{int(arr_id)}")

    def series_get(self, arr_id: int) -> dict:
        """One series of Sonarr's library, with `statistics` for it and each season."""
        return self._call("GET", f"/api/v3/series/{int(arr_id)}")

    def movie_add(
        self, *, tmdb_id: int, title: str, quality_profile_id: int, root_folder: str, tags: Iterable[int] = ()
    ) -> dict:
        """Add a movie to Radarr, monitored, and search for it at once."""
        body = {
            "title": title,
            "tmdbId": int(tmdb_id),
            "qualityProfileId": int(quality_profile_id),
            "rootFolderPath": root_folder,
            "monitored": True,
            "minimumAvailability": "released",
            "tags": [int(tag) for tag in tags],
            "addOptions": {"searchForMovie": True},
        }
        return self._call("POST", "/api/v3/movie", body=body)

    def series_add(
        self,
        *,
        tvdb_id: int,
        title: str,
        quality_profile_id: int,
        root_folder: str,
        seasons: Iterable[int] | None = None,
        tags: Iterable[int] = (),
        language_profile_id: int | None = None,
    ) -> dict:
        """Add a series to Sonarr with the requested seasons monitored (all when None), searching what is missing."""
        wanted = None if seasons is None else {int(number) for number in seasons}
        known = self.lookup(f"tvdb:{int(tvdb_id)}")
        season_numbers = sorted({s.get("seasonNumber") for show in known[:1] for s in show.get("seasons", [])} - {None})
        body = {
            "title": title,
            "tvdbId": int(tvdb_id),
            "qualityProfileId": int(quality_profile_id),
            "rootFolderPath": root_folder,
            "monitored": True,
            "seasonFolder": True,
            "seasons": [
                {"seasonNumber": n, "monitored": wanted is None or n in wanted} for n in season_numbers if n is not None
            ],
            "tags": [int(tag) for tag in tags],
            "addOptions": {"searchForMissingEpisodes": True},
        }
        if wanted is None:
            body["addOptions"]["monitor"] = "all"
        # With chosen seasons no `monitor` option: Sonarr's "none" would unmonitor their episodes too, and the
        # search would find nothing; left out, the seasons' own `monitored` flags decide (as Overseerr sends it).
        if language_profile_id is not None:  # Sonarr v3 wants one; v4 has none
            body["languageProfileId"] = int(language_profile_id)
        return self._call("POST", "/api/v3/series", body=body)

    # --- HTTP ---------------------------------------------------------------------------------------

    def _call(self, method: str, path: str, *, params: dict | None = None, body: Any = None) -> Any:
        url = self.base_url + path + ("?" + urllib.parse.urlencode(params) if params else "")
        data = json.dumps(body).encode() if body is not None else None
        headers = {"X-Api-Key": self.api_key, "Accept": "application/json", "User-Agent": USER_AGENT}
        if data is not None:
            headers["Content-Type"] = "application/json"
        name = f"{self.kind} at {self.base_url}"
        last: ArrError | None = None
        for attempt in range(self.retries + 1):
            if attempt:
                time.sleep(self.backoff * 2 ** (attempt - 1))
            try:
                response = outbound_request(
                    method,
                    url,
                    body=data,
                    headers=headers,
                    timeout=self.timeout,
                    allow_private=self.allow_private,
                    limit=ANSWER_LIMIT,
                )
            except OutboundRefused as exc:
                raise ArrRefused(f"{name}: {exc}") from exc
            except OutboundError as exc:
                last = ArrUnreachable(f"{name} did not answer ({exc})")
                logger.warning("%s (attempt %d of %d)", last, attempt + 1, self.retries + 1)
                continue
            if response.status >= 400:
                error = self._http_error(response.status, response.body, name, path)
                if not isinstance(error, ArrServerError):
                    raise error
                last = error
                logger.warning("%s (attempt %d of %d)", last, attempt + 1, self.retries + 1)
                continue
            try:
                return json.loads(response.body) if response.body.strip() else None
            except (ValueError, UnicodeDecodeError) as exc:
                raise ArrError(f"{name} answered {path} with something that is not JSON") from exc
        raise last

    @staticmethod
    def _http_error(code: int, raw: bytes, name: str, path: str) -> ArrError:
        # Only the JSON messages Radarr/Sonarr document are quoted; anything else is named by its status.
        try:
            body = json.loads(raw or b"null")
        except (ValueError, UnicodeDecodeError):
            body = None
        if code == 401:
            return ArrUnauthorized(f"{name} refused the API key (401): check it under Settings → General")
        if code == 404:
            return ArrNotFound(f"{name} has no {path} (404): is this the right address and a v3 API?")
        problems = _problems(body) if isinstance(body, (dict, list)) else []
        if code >= 500:
            return ArrServerError(f"{name} failed with {code}: {'; '.join(problems) or f'HTTP {code}'}")
        return ArrRejected(
            f"{name} refused it ({code}): {'; '.join(problems) or f'HTTP {code}'}", status=code, problems=problems
        )
