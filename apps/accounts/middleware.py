"""Keeps the last-seen time and address of signed-in sessions current, without a write per request."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from apps.accounts.services import sessions


class SessionActivityMiddleware:
    """Before the view: touch this request's LoginSession (at most once a minute, gated in the cache)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Before, not after, the view: a view that ends this session must not see it adopted again.
        sessions.session_touch(request=request)
        return self.get_response(request)
