"""Search on SQLite: an FTS5 trigram index finds candidates, Python ranks them as pg_trgm would.

The index (`media_search`, migration 0006) is kept by triggers that call `revenge_fold`, a function registered
on every SQLite connection Django opens (apps/media/apps.py); its rowid is item id * 4 + the kind's number.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import QuerySet

from apps.media.search import text

KIND_NUMBERS = {"movie": 0, "show": 1, "person": 2, "collection": 3}
CANDIDATES = 2000  # enough to rank a typo well; bounded so a one-letter-ish query stays cheap


def fold_register(sender, connection, **kwargs) -> None:
    """connection_created receiver: teach each SQLite connection the fold the search triggers use."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("revenge_fold", 1, _fold_or_none, deterministic=True)


def _fold_or_none(value: str | None) -> str | None:
    return None if value is None else text.fold(value)


def _candidate_ids(kind: str, query: str) -> list[int]:
    folded = text.fold(query)
    grams = {w[i : i + 3] for w in folded.split() for i in range(max(len(w) - 2, 0))}
    number = KIND_NUMBERS[kind]
    with connection.cursor() as cursor:
        if grams:
            match = " OR ".join('"' + g.replace('"', '""') + '"' for g in sorted(grams))
            cursor.execute(
                "SELECT rowid FROM media_search WHERE media_search MATCH %s AND rowid %% 4 = %s ORDER BY rank LIMIT %s",
                [match, number, CANDIDATES],
            )
        else:  # shorter than a trigram: words starting with it
            cursor.execute(
                "SELECT rowid FROM media_search WHERE rowid %% 4 = %s AND (body LIKE %s OR body LIKE %s) LIMIT %s",
                [number, f"{folded}%", f"% {folded}%", CANDIDATES],
            )
        return [row[0] // 4 for row in cursor.fetchall()]


def ranked(queryset: QuerySet, *, kind: str, query: str, fields: tuple[str, ...], limit: int) -> list:
    """The rows of `queryset` whose `fields` resemble `query`, best first, with `score` set."""
    rows = list(queryset.filter(pk__in=_candidate_ids(kind, query)))
    scored = []
    for row in rows:
        body = " ".join(str(getattr(row, f) or "") for f in fields)
        row.score, row.closeness = text.word_similarity(query, body), text.similarity(query, body)
        if row.score >= text.THRESHOLD:
            scored.append(row)
    scored.sort(key=lambda r: (-r.score, -r.closeness, r.pk))
    return scored[:limit]
