"""Answers remembered for the rest of one request, so a selector used five times reads the cache once.

A memo lives only inside a request (RequestMemoMiddleware) and only until the request writes to the
database: any saved, deleted or relinked row forgets everything, since any of them may change an
answer (a grant, a role, a user's limits). Outside a request (tasks, commands, shells) nothing is kept.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from contextvars import ContextVar
from typing import TypeVar

from django.http import HttpRequest, HttpResponse

T = TypeVar("T")
_memo: ContextVar[dict | None] = ContextVar("revenge_request_memo", default=None)


def memoized(key: Hashable, compute: Callable[[], T]) -> T:
    """`compute()`, once per request for `key`; outside a request every call computes."""
    memo = _memo.get()
    if memo is None:
        return compute()
    try:
        return memo[key]
    except KeyError:
        value = memo[key] = compute()
        return value


def remembered() -> dict | None:
    """This request's memo to read and fill directly (None outside a request), for many keys in one go."""
    return _memo.get()


def forget(*args, **kwargs) -> None:
    """Drop everything this request remembered (a signal receiver: any arguments)."""
    memo = _memo.get()
    if memo:
        memo.clear()


class RequestMemoMiddleware:
    """Opens an empty memo for each request and closes it after the response."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _memo.set({})
        try:
            return self.get_response(request)
        finally:
            _memo.reset(token)
