"""A Radarr/Sonarr stand-in on 127.0.0.1 that speaks the parts of API v3 Revenge uses, as documented.

It checks the API key and the bodies it is sent the way the real servers do (known quality profile and
root folder, the add options), keeps what was added, and refuses a title added twice ("already been added").
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

API_KEY = "0123456789abcdef0123456789abcdef"
PROFILES = [{"id": 1, "name": "Any"}, {"id": 4, "name": "HD-1080p"}]
MOVIES = [
    {"title": "Heat", "year": 1995, "tmdbId": 949, "imdbId": "tt0113277", "remotePoster": "http://img/heat.jpg"},
    {"title": "Arrival", "year": 2016, "tmdbId": 329865, "imdbId": "tt2543164"},
]
SERIES = [
    {"title": "Severance", "year": 2022, "tvdbId": 371980, "seasons": [{"seasonNumber": n} for n in (0, 1, 2)]},
]


def _matches(item: dict, term: str, id_key: str) -> bool:
    prefix = "tmdb:" if id_key == "tmdbId" else "tvdb:"
    if term.startswith(prefix):
        return str(item[id_key]) == term[len(prefix) :]
    words = term.lower().split()
    return any(word in item["title"].lower() or word == str(item.get("year")) for word in words)


class FakeArr:
    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.received: list[tuple[str, str, object]] = []
        self.fail_next = 0  # answer 503 this many times first
        self.delay = 0.0
        self.root_folders = ["/data/media", "/movies" if kind == "radarr" else "/tv"]
        self.series = [dict(s) for s in SERIES]
        self.added: dict[int, dict] = {}  # arr id → the movie or series as stored
        self.next_id = 7 if kind == "radarr" else 3
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def posts(self, path: str) -> list[dict]:
        return [body for method, p, body in self.received if method == "POST" and p == path]

    # --- the API ------------------------------------------------------------------------------------

    def route(self, method: str, path: str, query: dict, body: object) -> tuple[int, object]:
        movie_api = self.kind == "radarr"
        if (method, path) == ("GET", "/api/v3/system/status"):
            return 200, {"appName": self.kind.capitalize(), "version": "5.14.0.9383"}
        if (method, path) == ("GET", "/api/v3/qualityprofile"):
            return 200, PROFILES
        if (method, path) == ("GET", "/api/v3/rootfolder"):
            return 200, [{"id": n, "path": p, "freeSpace": 10**12} for n, p in enumerate(self.root_folders, 1)]
        if (method, path) == ("GET", "/api/v3/languageprofile") and not movie_api:
            return 200, [{"id": 1, "name": "English"}, {"id": 2, "name": "Original"}]
        if method == "GET" and path == ("/api/v3/movie/lookup" if movie_api else "/api/v3/series/lookup"):
            return 200, self._lookup(query.get("term", [""])[0], "tmdbId" if movie_api else "tvdbId")
        if method == "POST" and path == ("/api/v3/movie" if movie_api else "/api/v3/series"):
            return self._add(body, "tmdbId" if movie_api else "tvdbId")
        prefix = "/api/v3/movie/" if movie_api else "/api/v3/series/"
        if method == "GET" and path.startswith(prefix) and path[len(prefix) :].isdigit():
            found = self.added.get(int(path[len(prefix) :]))
            return (200, found) if found else (404, {"message": "NotFound"})
        return 404, {"message": "NotFound"}

    def _lookup(self, term: str, id_key: str) -> list[dict]:
        known = MOVIES if id_key == "tmdbId" else self.series
        stored = {item[id_key]: item for item in self.added.values()}
        return [
            {**item, "term": term, **({"id": stored[item[id_key]]["id"]} if item[id_key] in stored else {})}
            for item in known
            if _matches(item, term, id_key)
        ]

    def _add(self, body: object, id_key: str) -> tuple[int, object]:
        if not isinstance(body, dict):
            return 400, [{"propertyName": "", "errorMessage": "Request body is not an object"}]
        problems = []
        if not isinstance(body.get(id_key), int):
            problems.append((id_key, f"'{id_key}' must be a number"))
        if body.get("qualityProfileId") not in {p["id"] for p in PROFILES}:
            problems.append(("QualityProfileId", "Quality profile does not exist"))
        if body.get("rootFolderPath") not in self.root_folders:
            problems.append(("RootFolderPath", f"Root folder '{body.get('rootFolderPath')}' does not exist"))
        options = body.get("addOptions") or {}
        search = "searchForMovie" if id_key == "tmdbId" else "searchForMissingEpisodes"
        if not isinstance(options.get(search), bool):
            problems.append(("AddOptions", f"'{search}' must be true or false"))
        if id_key == "tvdbId" and not isinstance(body.get("seasons"), list):
            problems.append(("Seasons", "'Seasons' must be a list"))
        if problems:
            return 400, [{"propertyName": name, "errorMessage": message} for name, message in problems]
        with self.lock:
            if any(item[id_key] == body[id_key] for item in self.added.values()):
                what = "movie" if id_key == "tmdbId" else "series"
                return 400, [{"propertyName": id_key, "errorMessage": f"This {what} has already been added"}]
            stored = {**body, "id": self.next_id, "hasFile": False}
            if id_key == "tvdbId":
                stored["statistics"] = {"episodeFileCount": 0, "episodeCount": 10, "percentOfEpisodes": 0.0}
                stored["seasons"] = [
                    {**season, "statistics": {"episodeFileCount": 0, "episodeCount": 5, "percentOfEpisodes": 0.0}}
                    for season in body["seasons"]
                ]
            self.added[self.next_id] = stored
            self.next_id += 1
        return 201, stored

    # --- HTTP ---------------------------------------------------------------------------------------

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def _answer(self, status: int, body: object) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _handle(self, method: str) -> None:
                time.sleep(fake.delay)
                url = urlparse(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length)) if length else None
                fake.received.append((method, url.path, body))
                if self.headers.get("X-Api-Key") != API_KEY:
                    return self._answer(401, {"message": "Unauthorized"})
                if fake.fail_next:
                    fake.fail_next -= 1
                    return self._answer(503, {"message": "database is locked"})
                self._answer(*fake.route(method, url.path, parse_qs(url.query), body))

            def do_GET(self) -> None:
                self._handle("GET")

            def do_POST(self) -> None:
                self._handle("POST")

        return Handler

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
