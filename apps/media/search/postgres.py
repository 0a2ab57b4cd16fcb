"""Search on PostgreSQL: pg_trgm word similarity over accent-folded text, found by trigram KNN on GiST indexes.

`revenge_fold(text)` (migration 0006) is an immutable lower(unaccent(text)), so the indexes can be built on it.
Scoring every row that shares a trigram with the query costs ~0.4 s at 100,000 titles for a common word; the
GiST indexes of migration 0007 hand out rows nearest first (`ORDER BY … <<-> … LIMIT`), so a search reads a few
dozen rows whatever the catalogue's size, and those few are ranked exactly as before.
"""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.db.models import F, FloatField, Func, IntegerField, QuerySet, TextField, Value

from apps.media.search.text import THRESHOLD


class Fold(Func):
    function = "revenge_fold"
    output_field = TextField()


class WordSimilarity(Func):
    function = "word_similarity"
    output_field = FloatField()


class Similarity(Func):
    function = "similarity"
    output_field = FloatField()


class WordDistance(Func):
    """`query <<-> text`: 1 - word_similarity; as an ORDER BY with LIMIT it walks the GiST index nearest first."""

    arg_joiner = " <<-> "
    template = "(%(expressions)s)"
    output_field = FloatField()


class FoldJoined(Func):
    """revenge_fold(a || ' ' || b): the exact expression the trigram indexes are built on (columns are NOT NULL)."""

    function = "revenge_fold"
    template = "%(function)s((%(expressions)s))"
    arg_joiner = " || ' ' || "
    output_field = TextField()


def searchable(*fields: str) -> Func:
    """The folded text of these fields, exactly as the indexes of migration 0006 spell it."""
    return (FoldJoined if len(fields) > 1 else Fold)(*(F(field) for field in fields))


def candidates_count(limit: int) -> int:
    """How many nearest rows the index walk reads: the answer's length three times over, and never fewer than 60."""
    return max(3 * limit, 60)


def _ranked(queryset: QuerySet, *, query: str, fields: tuple[str, ...], limit: int) -> QuerySet:
    text, folded = searchable(*fields), Fold(Value(query, output_field=TextField()))
    # The visible rows nearest the query by word similarity, read from the GiST index nearest first; only these
    # are scored and ranked. No row outside them has a higher score; among more rows of one equal score than are
    # read (hundreds of "Golden Harbor N"), which ones are read is the index's choice.
    nearest = queryset.order_by(WordDistance(folded, text)).values_list("pk", flat=True)[: candidates_count(limit)]
    # Ids, not a subquery: with a subquery the planner prefers scoring every row that shares a trigram.
    found = queryset.model._base_manager.filter(pk__in=list(nearest))
    return (
        found.annotate(score=WordSimilarity(folded, text), closeness=Similarity(folded, text))
        .filter(score__gte=THRESHOLD)  # what `<%` tests, without inviting the GIN index
        .order_by("-score", "-closeness", "pk")
    )


def ranked(queryset: QuerySet, *, query: str, fields: tuple[str, ...], limit: int) -> list:
    """The rows of `queryset` whose `fields` resemble `query`, best first, with `score` set (inside the threshold)."""
    return list(_ranked(queryset, query=query, fields=fields, limit=limit)[:limit])


def ranked_ids(queryset: QuerySet, *, query: str, fields: tuple[str, ...], limit: int) -> list[int]:
    """Only the ids of what `ranked` finds, best first (inside the threshold): no rows built."""
    return list(_ranked(queryset, query=query, fields=fields, limit=limit).values_list("pk", flat=True)[:limit])


class ArrayPosition(Func):
    function = "array_position"
    output_field = IntegerField()


def order_of(ids: list[int]) -> Func:
    """An expression giving each row its place in `ids`: one array parameter, however many ids."""
    return ArrayPosition(Value(ids, output_field=ArrayField(IntegerField())), F("pk"))
