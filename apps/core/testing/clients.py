"""Clients of the API for tests: in-process (forced, signed in, or with a token) and over real HTTP."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from types import SimpleNamespace

from rest_framework.test import APIClient

from apps.accounts.services import tokens
from apps.core.testing.people import PASSWORD

LOGIN = "/api/v1/auth/login/"
# User agents of real browsers, as devices are recognised from them.
FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"
CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36"
IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.5 Mobile/15E148 Safari/604.1"
)


def client_for(user) -> APIClient:
    """An API client authenticated as `user` without signing in (None: anonymous)."""
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def signed_in(username: str = "alice", *, password: str = PASSWORD, **defaults) -> APIClient:
    """A client signed in through POST /api/v1/auth/login/ (a session cookie)."""
    client = APIClient(**defaults)
    response = client.post(LOGIN, {"username": username, "password": password}, format="json")
    assert response.status_code == 200, response.content
    return client


def with_token(username: str = "alice", *, password: str = PASSWORD, **defaults) -> tuple[APIClient, int]:
    """A client that sends an API token got from POST /api/v1/auth/token/, and the token's id."""
    client = APIClient(**defaults)
    body = {"username": username, "password": password, "device_name": "Living room TV"}
    created = client.post("/api/v1/auth/token/", body, format="json").json()
    client.credentials(HTTP_AUTHORIZATION=f"Token {created['token']}")
    return client, created["id"]


class Http:
    """A real HTTP client of the live server, signed in with an API token (as a TV app would be)."""

    def __init__(self, base: str, user) -> None:
        self.base = base
        self.key = tokens.api_token_create(user=user, name="tv")[1] if user else None

    def call(self, method: str, path: str, body: dict | None = None) -> SimpleNamespace:
        headers = {"Content-Type": "application/json", "User-Agent": "Kodi/21.0 (X11; Linux x86_64)"}
        if self.key:
            headers["Authorization"] = f"Token {self.key}"
        url = path if path.startswith("http") else self.base + path
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(url, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return SimpleNamespace(status=response.status, body=response.read(), headers=response.headers)
        except urllib.error.HTTPError as error:
            return SimpleNamespace(status=error.code, body=error.read(), headers=error.headers)

    def json(self, method: str, path: str, body: dict | None = None) -> tuple[int, dict]:
        answer = self.call(method, path, body)
        return answer.status, json.loads(answer.body or b"null")
