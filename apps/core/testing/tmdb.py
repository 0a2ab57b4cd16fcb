"""A stand-in for The Movie Database on 127.0.0.1: the v3 endpoints Revenge uses, with TMDb's JSON shapes.

It checks the key (`api_key` parameter) or the bearer token as TMDb does, answers only the appended parts that
were asked for, and can be slowed, taken down, rate limited or made to answer garbage. Images at
`/t/p/{size}/{file_path}` are small real pictures unless bytes were registered with `image_add`.
"""

from __future__ import annotations

import hashlib
import io
import itertools
import json
import threading
import time
import unicodedata
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlparse

from PIL import Image

from apps.core.testing.tmdb_shapes import (
    IMAGE_CONFIGURATION,
    MOVIE_GENRES,
    TV_GENRES,
    credits,
    episode_shape,
    image_list,
    movie_result,
    tv_result,
)

API_KEY = "0123456789abcdef0123456789abcdef"
TOKEN = "eyJhbGciOiJIUzI1NiJ9.stand-in-read-access-token"
PER_PAGE = 20
APPENDABLE = {
    "movie": ("credits", "release_dates", "external_ids", "images"),
    "tv": ("credits", "content_ratings", "external_ids", "images"),
}
NOT_FOUND = {"success": False, "status_code": 34, "status_message": "The resource you requested could not be found."}
BAD_KEY = {"status_code": 7, "status_message": "Invalid API key: You must be granted a valid key.", "success": False}
OFFLINE = {
    "success": False,
    "status_code": 9,
    "status_message": "Service offline: This service is temporarily offline, try again later.",
}


def folded(text: str) -> str:
    """Lower case without accents: "Amélie" → "amelie"."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def words(text: str) -> list[str]:
    return "".join(c if c.isalnum() else " " for c in folded(text)).split()


def title_matches(query: str, *titles: str) -> bool:
    """Every query word begins a word of one of the titles ("star wa" finds "Star Wars"), as TMDb's search does."""
    wanted = words(query)
    found = [w for title in titles for w in words(title)]
    return bool(wanted) and all(any(w.startswith(q) for w in found) for q in wanted)


def picture(file_path: str) -> bytes:
    """A small real picture whose colour depends on the path, in the format its name says."""
    if file_path.endswith(".svg"):
        return b'<svg xmlns="http://www.w3.org/2000/svg" width="40" height="16"><rect width="40" height="16"/></svg>'
    digest = hashlib.sha256(file_path.encode()).digest()
    buffer = io.BytesIO()
    image = Image.new("RGB", (60, 90), tuple(digest[:3]))
    image.save(
        buffer, format="PNG" if file_path.endswith(".png") else "WEBP" if file_path.endswith(".webp") else "JPEG"
    )
    return buffer.getvalue()


class FakeTmdb:
    """The server and its data; `url` is the root, `api_url` the TMDB_URL (…/3), `image_url` the TMDB_IMAGE_URL."""

    def __init__(self, *, api_key: str = API_KEY, token: str = TOKEN) -> None:
        self.api_key, self.token = api_key, token
        self.latency = 0.0
        self.down: bool | str | None = None  # "503" (or True): every call answers 503; "closed": no answer at all
        self.fail_next = 0  # answer 503 this many times first
        self.calls: list[tuple[str, dict[str, str]]] = []
        self.call_times: list[float] = []  # time.time() of each call, in the order of `calls`
        self.movies: dict[int, dict] = {}
        self.shows: dict[int, dict] = {}
        self.people: dict[int, dict] = {}
        self.images: dict[str, bytes] = {}
        self.raw: dict[str, tuple[int, bytes]] = {}  # path → a fixed answer (broken bodies for hostile tests)
        self._throttled, self._retry_after = 0, 1
        self._ids = itertools.count(1_000_001)
        self._companies: dict[str, int] = {}
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.api_url, self.image_url = f"{self.url}/3", f"{self.url}/t/p"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    # --- knobs ----------------------------------------------------------------------------------------------

    def rate_limit(self, count: int, retry_after: int = 1) -> None:
        """The next `count` calls get 429 with `Retry-After: retry_after`."""
        with self.lock:
            self._throttled, self._retry_after = count, retry_after

    def respond_raw(self, path: str, body: bytes, *, status: int = 200) -> None:
        """Answer `path` (e.g. "/3/movie/603") with these bytes from now on, whatever is stored."""
        self.raw[path] = (status, body)

    def calls_to(self, prefix: str) -> list[tuple[str, dict[str, str]]]:
        with self.lock:
            return [call for call in self.calls if call[0].startswith(prefix)]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    # --- data -----------------------------------------------------------------------------------------------

    def person_add(self, id: int, name: str, *, profile_path: str | None = None, **fields) -> dict:
        person = self.people.get(id) or {"adult": False, "also_known_as": [], "biography": "", "birthday": None}
        person.update(
            deathday=None, gender=0, homepage=None, id=id, imdb_id=None, known_for_department="Acting", name=name,
            place_of_birth=None, popularity=1.0, profile_path=profile_path,
        )  # fmt: skip
        person.update(fields)
        self.people[id] = person
        return person

    def _company(self, name: str) -> dict:
        number = self._companies.setdefault(name, 100 + len(self._companies))
        return {"id": number, "logo_path": None, "name": name, "origin_country": "US"}

    def _credits(self, id: int, cast: list, crew: list) -> dict:
        for person_id, name, *_ in [*cast, *crew]:
            if person_id not in self.people:
                self.person_add(person_id, name)
        return credits(id, cast, crew, self.people)

    def movie_add(
        self,
        id: int,
        title: str,
        *,
        year: int | None = 2000,
        release_date: str | None = None,
        original_title: str | None = None,
        original_language: str = "en",
        popularity: float = 10.0,
        overview: str = "",
        tagline: str = "",
        runtime: int | None = 100,
        genres: list[str] = (),
        companies: list[str] = (),
        collection: tuple[int, str] | None = None,
        certifications: dict[str, str] | None = None,
        imdb_id: str | None = None,
        cast: list[tuple] = (),
        crew: list[tuple] = (),
        poster: str | None = None,
        backdrop: str | None = None,
        logo: str | None = None,
        vote_average: float = 7.0,
        translations: dict[str, dict] | None = None,
        **fields,
    ) -> dict:
        """A film with everything its details answer holds; returns the stored dict (change it to change answers)."""
        date = release_date if release_date is not None else (f"{year}-06-15" if year else "")
        genre_ids = {g["name"]: g["id"] for g in MOVIE_GENRES}
        movie = {
            "adult": False, "backdrop_path": backdrop, "budget": 0, "homepage": "", "id": id, "imdb_id": imdb_id,
            "origin_country": ["US"], "original_language": original_language,
            "original_title": original_title or title, "overview": overview, "popularity": popularity,
            "poster_path": poster, "release_date": date, "revenue": 0, "runtime": runtime, "status": "Released",
            "tagline": tagline, "title": title, "video": False, "vote_average": vote_average, "vote_count": 100,
            "genres": [{"id": genre_ids.get(name, 90000 + len(name)), "name": name} for name in genres],
            "production_companies": [self._company(name) for name in companies],
            "production_countries": [{"iso_3166_1": "US", "name": "United States of America"}],
            "spoken_languages": [{"english_name": "English", "iso_639_1": "en", "name": "English"}],
            "belongs_to_collection": collection and {
                "id": collection[0], "name": collection[1], "poster_path": None, "backdrop_path": None
            },
            "credits": self._credits(id, cast, crew),
            "release_dates": {"results": [
                {"iso_3166_1": country, "release_dates": [{
                    "certification": rating, "descriptors": [], "iso_639_1": "", "note": "",
                    "release_date": f"{date or '2000-01-01'}T00:00:00.000Z", "type": 3,
                }]}
                for country, rating in (certifications if certifications is not None else {"US": "PG-13"}).items()
            ]},
            "external_ids": {"imdb_id": imdb_id, "wikidata_id": None, "facebook_id": None, "instagram_id": None,
                             "twitter_id": None},
            "images": {"backdrops": image_list(backdrop, None, 3840, 2160), "logos": image_list(logo, "en", 1000, 400),
                       "posters": image_list(poster, "en", 2000, 3000)},
            "translations": translations or {},
        }  # fmt: skip
        movie.update(fields)
        self.movies[id] = movie
        return movie

    def show_add(
        self,
        id: int,
        name: str,
        *,
        first_air_date: str | None = "2020-01-01",
        original_name: str | None = None,
        original_language: str = "en",
        popularity: float = 10.0,
        overview: str = "",
        genres: list[str] = (),
        networks: list[str] = (),
        content_ratings: dict[str, str] | None = None,
        tvdb_id: int | None = None,
        imdb_id: str | None = None,
        seasons: dict[int, list[dict] | int] | None = None,
        season_posters: dict[int, str] | None = None,
        cast: list[tuple] = (),
        crew: list[tuple] = (),
        poster: str | None = None,
        backdrop: str | None = None,
        logo: str | None = None,
        vote_average: float = 7.5,
        translations: dict[str, dict] | None = None,
        **fields,
    ) -> dict:
        """A series; `seasons` maps a season number to its episodes (dicts of fields, or just how many)."""
        genre_ids = {g["name"]: g["id"] for g in TV_GENRES}
        season_posters = season_posters or {}
        season_list = []
        for number, episodes in sorted((seasons if seasons is not None else {1: 3}).items()):
            listed = [{}] * episodes if isinstance(episodes, int) else episodes
            made = [
                episode_shape(id, number, n, next(self._ids), first_air_date, fields_)
                for n, fields_ in enumerate(listed, 1)
            ]
            season_list.append({
                "_id": f"{id}s{number}", "air_date": made[0]["air_date"] if made else None, "episodes": made,
                "id": next(self._ids), "name": "Specials" if number == 0 else f"Season {number}", "overview": "",
                "poster_path": season_posters.get(number), "season_number": number, "vote_average": 0.0,
            })  # fmt: skip
        show = {
            "adult": False, "backdrop_path": backdrop, "created_by": [], "episode_run_time": [45],
            "first_air_date": first_air_date, "homepage": "", "id": id, "in_production": False,
            "languages": [original_language], "last_air_date": first_air_date, "name": name,
            "networks": [{**self._company(n), "id": 200 + i} for i, n in enumerate(networks)],
            "number_of_episodes": sum(len(s["episodes"]) for s in season_list if s["season_number"]),
            "number_of_seasons": sum(1 for s in season_list if s["season_number"]), "origin_country": ["US"],
            "original_language": original_language, "original_name": original_name or name, "overview": overview,
            "popularity": popularity, "poster_path": poster, "production_companies": [], "status": "Ended",
            "tagline": "", "type": "Scripted", "vote_average": vote_average, "vote_count": 100,
            "genres": [{"id": genre_ids.get(g, 90000 + len(g)), "name": g} for g in genres],
            "season_details": {s["season_number"]: s for s in season_list},
            "credits": self._credits(id, cast, crew),
            "content_ratings": {"results": [
                {"descriptors": [], "iso_3166_1": country, "rating": rating}
                for country, rating in (content_ratings if content_ratings is not None else {"US": "TV-14"}).items()
            ]},
            "external_ids": {"imdb_id": imdb_id, "freebase_mid": None, "freebase_id": None, "tvdb_id": tvdb_id,
                             "tvrage_id": None, "wikidata_id": None, "facebook_id": None, "instagram_id": None,
                             "twitter_id": None},
            "images": {"backdrops": image_list(backdrop, None, 3840, 2160), "logos": image_list(logo, "en", 1000, 400),
                       "posters": image_list(poster, "en", 2000, 3000)},
            "translations": translations or {},
        }  # fmt: skip
        show.update(fields)
        self.shows[id] = show
        return show

    def image_add(self, file_path: str, data: bytes) -> None:
        self.images[file_path] = data

    # --- the API --------------------------------------------------------------------------------------------

    def route(self, path: str, query: dict[str, str]) -> tuple[int, object]:
        parts = path.strip("/").split("/")[1:]  # after "3"
        language = query.get("language", "")
        if parts == ["configuration"]:
            return 200, {"images": {**IMAGE_CONFIGURATION, "base_url": f"{self.image_url}/".replace("https", "http"),
                                    "secure_base_url": f"{self.image_url}/"}, "change_keys": []}  # fmt: skip
        if len(parts) == 3 and parts[0] == "genre" and parts[2] == "list" and parts[1] in ("movie", "tv"):
            return 200, {"genres": MOVIE_GENRES if parts[1] == "movie" else TV_GENRES}
        if len(parts) == 2 and parts[0] == "search" and parts[1] in ("movie", "tv"):
            return self._search(parts[1], query)
        if len(parts) == 2 and parts[0] == "find":
            return self._find(unquote(parts[1]), query.get("external_source", ""), language)
        if len(parts) < 2 or not parts[1].isdigit():
            return 404, NOT_FOUND
        number = int(parts[1])
        if parts[0] == "person" and len(parts) == 2 and number in self.people:
            return 200, self.people[number]
        if parts[0] == "movie" and len(parts) == 2 and number in self.movies:
            return 200, self._details("movie", self.movies[number], query)
        show = self.shows.get(number) if parts[0] == "tv" else None
        if show is None:
            return 404, NOT_FOUND
        if len(parts) == 2:
            return 200, self._details("tv", show, query)
        if len(parts) >= 4 and parts[2] == "season" and parts[3].isdigit():
            season = show["season_details"].get(int(parts[3]))
            if season is not None and len(parts) == 4:
                return 200, season
            if season is not None and len(parts) == 6 and parts[4] == "episode" and parts[5].isdigit():
                found = [e for e in season["episodes"] if e["episode_number"] == int(parts[5])]
                return (200, found[0]) if found else (404, NOT_FOUND)
        return 404, NOT_FOUND

    def _localized(self, item: dict, language: str) -> dict:
        return {**item, **item.get("translations", {}).get(language, {})}

    def _details(self, kind: str, item: dict, query: dict[str, str]) -> dict:
        asked = {part.strip() for part in query.get("append_to_response", "").split(",")}
        hidden = {"translations", "season_details", *(set(APPENDABLE[kind]) - asked)}
        localized = self._localized(item, query.get("language", ""))
        answer = {key: value for key, value in localized.items() if key not in hidden}
        if kind == "tv":
            answer["seasons"] = [
                {k: v for k, v in s.items() if k not in ("_id", "episodes")} | {"episode_count": len(s["episodes"])}
                for s in item["season_details"].values()
            ]
        if "images" in answer:
            languages = query.get("include_image_language") or query.get("language", "")[:2]
            if languages:
                allowed = {None if code == "null" else code for code in languages.split(",")}
                found = answer["images"].items()
                answer["images"] = {name: [i for i in listed if i["iso_639_1"] in allowed] for name, listed in found}
        return answer

    def _search(self, kind: str, query: dict[str, str]) -> tuple[int, object]:
        page = query.get("page", "1")
        if not page.isdigit() or not 1 <= int(page) <= 500:
            return 400, {"success": False, "status_code": 22, "status_message": "Invalid page: Pages start at 1 "
                         "and max at 500. They are expected to be an integer."}  # fmt: skip
        text, language = query.get("query", ""), query.get("language", "")
        title, original, date, shape = (
            ("title", "original_title", "release_date", movie_result)
            if kind == "movie"
            else ("name", "original_name", "first_air_date", tv_result)
        )
        year = query.get("primary_release_year") or query.get("year") or query.get("first_air_date_year")
        shaped = [
            shape(localized)
            for item in (self.movies if kind == "movie" else self.shows).values()
            for localized in [self._localized(item, language)]
            if title_matches(text, localized[title], item[original]) and (not year or (item[date] or "")[:4] == year)
        ]
        shaped.sort(key=lambda r: -r["popularity"])
        start = (int(page) - 1) * PER_PAGE
        return 200, {
            "page": int(page),
            "results": shaped[start : start + PER_PAGE],
            "total_pages": (len(shaped) + PER_PAGE - 1) // PER_PAGE,
            "total_results": len(shaped),
        }

    def _find(self, external_id: str, source: str, language: str) -> tuple[int, object]:
        if source not in ("imdb_id", "tvdb_id", "facebook_id", "instagram_id", "twitter_id", "wikidata_id"):
            return 400, {"success": False, "status_code": 5, "status_message": "Invalid parameters: Your request "
                         "parameters are incorrect."}  # fmt: skip
        same = lambda item: str(item["external_ids"].get(source)) == external_id  # noqa: E731
        return 200, {
            "movie_results": [movie_result(self._localized(m, language)) for m in self.movies.values() if same(m)],
            "person_results": [],
            "tv_results": [tv_result(self._localized(s, language)) for s in self.shows.values() if same(s)],
            "tv_episode_results": [],
            "tv_season_results": [],
        }

    def image(self, path: str) -> bytes | None:
        """The bytes at /t/p/{size}/{file_path}: registered ones, or a picture for any path TMDb answers name."""
        size, _, name = path.removeprefix("/t/p/").partition("/")
        file_path = f"/{name}"
        if not size or "/" in name or not name:
            return None
        if file_path in self.images:
            return self.images[file_path]
        return picture(file_path) if file_path in json.dumps([self.movies, self.shows, self.people]) else None

    # --- HTTP -----------------------------------------------------------------------------------------------

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:
                pass

            def _send(self, status: int, data: bytes, content_type: str, headers: dict | None = None) -> None:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

            def _json(self, status: int, body: object, headers: dict | None = None) -> None:
                self._send(status, json.dumps(body).encode(), "application/json;charset=utf-8", headers)

            def do_GET(self) -> None:
                url = urlparse(self.path)
                query = {k: v[-1] for k, v in parse_qs(url.query, keep_blank_values=True).items()}
                with fake.lock:
                    fake.calls.append((url.path, query))
                    fake.call_times.append(time.time())
                    throttled = fake._throttled > 0
                    fake._throttled -= throttled
                    failing = fake.fail_next > 0
                    fake.fail_next -= failing
                if fake.latency:
                    time.sleep(fake.latency)
                if fake.down == "closed":
                    self.close_connection = True
                    return  # the connection closes with no answer at all
                if fake.down or failing:
                    return self._json(503, OFFLINE)
                if throttled:
                    over = {"success": False, "status_code": 25,
                            "status_message": "Your request count (41) is over the allowed limit of 40."}  # fmt: skip
                    return self._json(429, over, {"Retry-After": str(fake._retry_after)})
                if url.path.startswith("/t/p/"):
                    data = fake.image(url.path)
                    if data is None:
                        return self._send(404, b"Not Found", "text/plain")
                    kind = {"png": "image/png", "webp": "image/webp", "svg": "image/svg+xml"}
                    return self._send(200, data, kind.get(url.path.rsplit(".", 1)[-1], "image/jpeg"))
                bearer = self.headers.get("Authorization", "")
                if query.get("api_key") != fake.api_key and bearer != f"Bearer {fake.token}":
                    return self._json(401, BAD_KEY)
                if url.path in fake.raw:
                    status, data = fake.raw[url.path]
                    return self._send(status, data, "application/json;charset=utf-8")
                self._json(*fake.route(url.path, query))

        return Handler
