"""A Radarr/Sonarr stand-in on 127.0.0.1 that speaks the parts of API v3 Revenge uses, as documented."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

API_KEY = "0123456789abcdef0123456789abcdef"


class FakeArr:
    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.received: list[tuple[str, str, object]] = []
        self.fail_next = 0  # answer 503 this many times first
        self.delay = 0.0
        self.series = [{"title": "Severance", "tvdbId": 371980, "seasons": [{"seasonNumber": n} for n in (0, 1, 2)]}]
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
                query = parse_qs(url.query)
                route = (method, url.path)
                if route == ("GET", "/api/v3/system/status"):
                    return self._answer(200, {"appName": fake.kind.capitalize(), "version": "5.14.0.9383"})
                if route == ("GET", "/api/v3/qualityprofile"):
                    return self._answer(200, [{"id": 1, "name": "Any"}, {"id": 4, "name": "HD-1080p"}])
                if route == ("GET", "/api/v3/rootfolder"):
                    return self._answer(200, [{"id": 1, "path": "/data/media", "freeSpace": 10**12}])
                if route == ("GET", "/api/v3/movie/lookup") and fake.kind == "radarr":
                    return self._answer(200, [{"title": "Heat", "year": 1995, "tmdbId": 949, "term": query["term"][0]}])
                if route == ("GET", "/api/v3/series/lookup") and fake.kind == "sonarr":
                    return self._answer(200, fake.series)
                if route == ("POST", "/api/v3/movie") and fake.kind == "radarr":
                    if body.get("tmdbId") == 949 and any(m == "POST" for m, *_ in fake.received[:-1]):
                        return self._answer(
                            400, [{"propertyName": "TmdbId", "errorMessage": "This movie has already been added"}]
                        )
                    return self._answer(201, {"id": 7, **body})
                if route == ("POST", "/api/v3/series") and fake.kind == "sonarr":
                    return self._answer(201, {"id": 3, **body})
                return self._answer(404, {"message": "NotFound"})

            def do_GET(self) -> None:
                self._handle("GET")

            def do_POST(self) -> None:
                self._handle("POST")

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
