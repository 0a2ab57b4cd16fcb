"""Search text in Python: accent and case folding, and pg_trgm's trigram similarities, for the SQLite path.

PostgreSQL computes the same figures itself (pg_trgm, unaccent); these mirror them so both databases rank alike.
"""

from __future__ import annotations

import re
import unicodedata

_WORD = re.compile(r"[^\W_]+")
MAX_QUERY = 200
THRESHOLD = 0.3  # word similarity: "matirx" against "The Matrix" is 0.43; unrelated titles stay well below


def fold(text: str) -> str:
    """Lower case without accents ("Amélie" → "amelie", "Straße" → "strasse"), as revenge_fold does in PostgreSQL."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def trigrams_ordered(text: str) -> list[str]:
    """pg_trgm's trigrams in text order: each word padded with two spaces before and one after."""
    grams: list[str] = []
    for word in _WORD.findall(fold(text)):
        padded = f"  {word} "
        grams.extend(padded[i : i + 3] for i in range(len(padded) - 2))
    return grams


def similarity(query: str, text: str) -> float:
    """pg_trgm similarity(): shared trigrams over all trigrams of both."""
    a, b = set(trigrams_ordered(query)), set(trigrams_ordered(text))
    return len(a & b) / len(a | b) if a and b else 0.0


def word_similarity(query: str, text: str) -> float:
    """pg_trgm word_similarity(): the best match of the query's trigrams against any run of the text's trigrams."""
    wanted = set(trigrams_ordered(query))
    grams = trigrams_ordered(text)
    if not wanted or not grams:
        return 0.0
    # The best run starts and ends on a shared trigram, so only those positions need trying.
    hits = [i for i, gram in enumerate(grams) if gram in wanted]
    best = 0.0
    for start_index, start in enumerate(hits):
        for end in hits[start_index:]:
            run = set(grams[start : end + 1])
            best = max(best, len(wanted & run) / len(wanted | run))
    return best
