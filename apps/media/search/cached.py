"""Cached search answers: one per query and visibility class, until what that class may see changes."""

from __future__ import annotations

from collections.abc import Callable

from apps.core import caching
from apps.media.selectors import catalogue_scopes, visibility_class

SEARCH_SECONDS = 300


def search_cached(*, user, query: str, kinds: tuple[str, ...], limit: int, compute: Callable[[], list]) -> list:
    """`compute()`'s results for this search, shared by users who see the same catalogue.

    The query is folded by whitespace only; "Matrix" and "matrix" are separate entries, as ranking may differ.
    """
    return caching.cached(
        "search",
        (" ".join(query.split()), kinds, limit, visibility_class(user=user)),
        compute,
        ttl=SEARCH_SECONDS,
        scopes=catalogue_scopes(user=user, shared=True),
        local=True,
    )
