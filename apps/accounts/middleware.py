"""Request middleware of the accounts app: the cache versions a request reads, read at once; last-seen times."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from apps.accounts.authentication import token_scopes
from apps.accounts.services import sessions
from apps.core import caching


class CacheVersionsMiddleware:
    """Reads in one round trip the cache versions that the IP rules, a token's authentication and the catalogue's
    cached answers would each read on their own; the request's memo keeps them (apps/core/caching.py)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        caching.versions(["ip-rules", caching.ACCESS, "images", *token_scopes(request)])
        return self.get_response(request)


class SessionActivityMiddleware:
    """Before the view: touch this request's LoginSession (at most once a minute, gated in the cache)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Before, not after, the view: a view that ends this session must not see it adopted again.
        sessions.session_touch(request=request)
        return self.get_response(request)
