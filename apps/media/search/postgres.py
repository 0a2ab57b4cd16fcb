"""Search on PostgreSQL: pg_trgm word similarity over accent-folded text, served by trigram GIN indexes.

`revenge_fold(text)` (migration 0006) is an immutable lower(unaccent(text)), so the indexes can be built on it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.contrib.postgres.fields import ArrayField
from django.db import connection, transaction
from django.db.models import BooleanField, F, FloatField, Func, IntegerField, QuerySet, TextField, Value

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


class WordSimilar(Func):
    """`query <% text`: true when word_similarity reaches pg_trgm.word_similarity_threshold; uses the GIN index."""

    arg_joiner = " <%% "
    template = "(%(expressions)s)"
    output_field = BooleanField()


class FoldJoined(Func):
    """revenge_fold(a || ' ' || b): the exact expression the trigram indexes are built on (columns are NOT NULL)."""

    function = "revenge_fold"
    template = "%(function)s((%(expressions)s))"
    arg_joiner = " || ' ' || "
    output_field = TextField()


def searchable(*fields: str) -> Func:
    """The folded text of these fields, exactly as the indexes of migration 0006 spell it."""
    return (FoldJoined if len(fields) > 1 else Fold)(*(F(field) for field in fields))


@contextmanager
def similarity_threshold() -> Iterator[None]:
    """Inside: `<%` matches at THRESHOLD; SET LOCAL ends with the transaction, so other queries keep the default."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL pg_trgm.word_similarity_threshold = %s", [THRESHOLD])
        yield


def _ranked(queryset: QuerySet, *, query: str, fields: tuple[str, ...]) -> QuerySet:
    text, folded = searchable(*fields), Fold(Value(query, output_field=TextField()))
    return (
        queryset.filter(WordSimilar(folded, text))
        .annotate(score=WordSimilarity(folded, text), closeness=Similarity(folded, text))
        .order_by("-score", "-closeness", "pk")
    )


def ranked(queryset: QuerySet, *, query: str, fields: tuple[str, ...], limit: int) -> list:
    """The rows of `queryset` whose `fields` resemble `query`, best first, with `score` set (inside the threshold)."""
    return list(_ranked(queryset, query=query, fields=fields)[:limit])


def ranked_ids(queryset: QuerySet, *, query: str, fields: tuple[str, ...], limit: int) -> list[int]:
    """Only the ids of what `ranked` finds, best first (inside the threshold): no rows built."""
    return list(_ranked(queryset, query=query, fields=fields).values_list("pk", flat=True)[:limit])


class ArrayPosition(Func):
    function = "array_position"
    output_field = IntegerField()


def order_of(ids: list[int]) -> Func:
    """An expression giving each row its place in `ids`: one array parameter, however many ids."""
    return ArrayPosition(Value(ids, output_field=ArrayField(IntegerField())), F("pk"))
