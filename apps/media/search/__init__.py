"""Typo-tolerant, accent-blind search of titles, people and collections, through the visibility selectors.

PostgreSQL ranks with pg_trgm over folded text (nearest first from GiST indexes); SQLite finds candidates with
FTS5 trigrams and ranks them the same way in Python. Either way "matirx" finds The Matrix and "amelie" finds Amélie.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection
from django.db.models import Case, Expression, IntegerField, QuerySet, Value, When

from apps.media import selectors
from apps.media.search import sqlite
from apps.media.search.text import MAX_QUERY

KINDS = ("movie", "show", "person", "collection")
_FIELDS = {
    "movie": ("title", "original_title"),
    "show": ("title", "original_title"),
    "person": ("name",),
    "collection": ("name",),
}
_SELECTORS = {
    "movie": selectors.movies_visible_to,
    "show": selectors.shows_visible_to,
    "person": selectors.people_visible_to,
    "collection": selectors.collections_visible_to,
}


@dataclass(frozen=True, slots=True)
class SearchHit:
    kind: str
    item: object
    score: float


def query_checked(query: str | None) -> str:
    """The query with its white space collapsed; raises ValueError when it is empty, too long or has control codes."""
    query = " ".join((query or "").split())
    if not query:
        raise ValueError("say what to search for")
    if len(query) > MAX_QUERY:
        raise ValueError(f"a search is at most {MAX_QUERY} characters")
    # PostgreSQL refuses NUL in text outright; other control codes spell no title either.
    if any(ord(c) < 32 or ord(c) == 127 for c in query):
        raise ValueError("a search cannot contain control characters")
    return query


def catalogue_search(*, user, query: str, kinds: tuple[str, ...] = KINDS, limit: int = 20) -> list[SearchHit]:
    """What `user` may see that resembles `query`, best first across kinds; raises ValueError on a bad query."""
    query = query_checked(query)
    unknown = sorted(set(kinds) - set(KINDS))
    if unknown:
        raise ValueError(f"unknown kind {', '.join(unknown)}; one of {', '.join(KINDS)}")
    hits: list[SearchHit] = []
    on_postgres = connection.vendor == "postgresql"
    for kind in dict.fromkeys(kinds):
        visible = _SELECTORS[kind](user=user)
        if on_postgres:
            from apps.media.search import postgres  # lazy: django.contrib.postgres loads psycopg, SQLite needs neither

            rows = postgres.ranked(visible, query=query, fields=_FIELDS[kind], limit=limit)
        else:
            rows = sqlite.ranked(visible, kind=kind, query=query, fields=_FIELDS[kind], limit=limit)
        hits.extend(SearchHit(kind=kind, item=row, score=round(row.score, 4)) for row in rows)
    hits.sort(key=lambda h: (-h.score, -getattr(h.item, "closeness", 0.0), KINDS.index(h.kind), h.item.pk))
    return hits[:limit]


def ids_ranked(queryset: QuerySet, *, kind: str, query: str, limit: int) -> list[int]:
    """Ids of the rows of `queryset` (already the visible ones) that resemble `query`, best first, at most `limit`."""
    query = query_checked(query)
    if connection.vendor == "postgresql":
        from apps.media.search import postgres  # lazy: django.contrib.postgres loads psycopg, SQLite needs neither

        return postgres.ranked_ids(queryset, query=query, fields=_FIELDS[kind], limit=limit)
    return [row.pk for row in sqlite.ranked(queryset, kind=kind, query=query, fields=_FIELDS[kind], limit=limit)]


def order_of(ids: list[int]) -> Expression:
    """An expression to order rows by their place in `ids` (the order `ids_ranked` gave)."""
    if connection.vendor == "postgresql":
        from apps.media.search import postgres  # lazy: django.contrib.postgres loads psycopg, SQLite needs neither

        return postgres.order_of(ids)
    return Case(*(When(pk=pk, then=Value(n)) for n, pk in enumerate(ids)), output_field=IntegerField())
