"""How confident we are that a TMDb search result is the movie or show a file names: pure scoring, no I/O.

A score from 0 to 1 weighs title similarity (the title or the original title), the year (exact, or one off for
releases dated differently) and popularity, which only breaks ties between equally good titles (remakes).
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any

THRESHOLD = 0.75  # below it an item is left unmatched, for an operator to identify
_TITLE, _YEAR, _POPULARITY = 0.65, 0.25, 0.10
_NO_YEAR_ASKED, _NO_YEAR_KNOWN = 0.5, 0.3  # neutral-ish: a year we cannot compare neither helps nor rules out
_YEAR_ONE_OFF = 0.7
_YEAR_MISMATCH_CAP = 0.5  # two or more years apart: a different film (remakes share titles)
_MAX_TITLE = 300
_NOT_WORD = re.compile(r"[\W_]+")
_ARTICLES = ("the ", "a ", "an ")


@dataclass(frozen=True, slots=True)
class Candidate:
    """A search result reduced to what scoring and the Identify list need; safe to build from any dict."""

    tmdb_id: int
    title: str
    original_title: str
    year: int | None
    popularity: float
    overview: str
    poster_path: str

    def as_dict(self, score: float) -> dict[str, Any]:
        return {
            "tmdb_id": self.tmdb_id,
            "title": self.title,
            "original_title": self.original_title,
            "year": self.year,
            "overview": self.overview,
            "poster_path": self.poster_path,
            "popularity": self.popularity,
            "score": round(score, 3),
        }


def normalized(title: str) -> str:
    """Title reduced for comparison: case, accents, punctuation, "&" and a leading article do not matter."""
    text = unicodedata.normalize("NFKD", str(title or "")[:_MAX_TITLE].casefold().replace("&", " and "))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = _NOT_WORD.sub(" ", text).strip()
    for article in _ARTICLES:
        if text.startswith(article) and len(text) > len(article):
            return text[len(article) :]
    return text


def title_similarity(wanted: str, found: str) -> float:
    """1.0 for the same title once normalized; otherwise how much of the two strings lines up."""
    a, b = normalized(wanted), normalized(found)
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    if a.replace(" ", "") == b.replace(" ", ""):
        return 0.98  # "Spider Man" / "Spider-Man" / "SpiderMan"
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def year_of(value: object) -> int | None:
    """The year of a TMDb date ("1999-03-30"); None for empty, null or nonsense."""
    if isinstance(value, str) and len(value) >= 4 and value[:4].isdigit():
        year = int(value[:4])
        return year if 1800 < year < 2200 else None
    return None


def _text(value: object, limit: int) -> str:
    return value[:limit] if isinstance(value, str) else ""


def candidate_of(result: object, *, kind: str) -> Candidate | None:
    """A search or find result as a Candidate; None when it has no usable id or title."""
    if not isinstance(result, dict):
        return None
    tmdb_id = result.get("id")
    if not isinstance(tmdb_id, int) or isinstance(tmdb_id, bool) or not 0 < tmdb_id < 2**31:
        return None
    title_key, original_key, date_key = (
        ("title", "original_title", "release_date") if kind == "movie" else ("name", "original_name", "first_air_date")
    )
    title = _text(result.get(title_key), 500)
    if not title.strip():
        return None
    popularity = result.get("popularity")
    popular = float(popularity) if isinstance(popularity, int | float) and not isinstance(popularity, bool) else 0.0
    return Candidate(
        tmdb_id=tmdb_id,
        title=title,
        original_title=_text(result.get(original_key), 500),
        year=year_of(result.get(date_key)),
        popularity=popular if math.isfinite(popular) and popular > 0 else 0.0,
        overview=_text(result.get("overview"), 2000),
        poster_path=_text(result.get("poster_path"), 300),
    )


def score(candidate: Candidate, *, title: str, year: int | None) -> float:
    """Confidence, 0 to 1, that `candidate` is the title `title` (of `year`, when known)."""
    similar = title_similarity(title, candidate.title)
    if candidate.original_title and candidate.original_title != candidate.title:
        similar = max(similar, title_similarity(title, candidate.original_title))
    if year is None:
        year_part = _NO_YEAR_ASKED
    elif candidate.year is None:
        year_part = _NO_YEAR_KNOWN
    else:
        year_part = {0: 1.0, 1: _YEAR_ONE_OFF}.get(abs(candidate.year - year), 0.0)
    # log scale: popularity 1 → 0.1, 10 → 0.35, 1,000 → 1; it only matters between otherwise equal titles
    popular = min(1.0, math.log10(1 + candidate.popularity) / 3)
    total = _TITLE * similar + _YEAR * year_part + _POPULARITY * popular
    if year is not None and candidate.year is not None and abs(candidate.year - year) > 1:
        total = min(total, _YEAR_MISMATCH_CAP)
    return round(total, 4)


def ranked(results: object, *, kind: str, title: str, year: int | None) -> list[tuple[Candidate, float]]:
    """Usable results with their scores, best first (ties: the more popular, then the lower id)."""
    found = [c for r in results if (c := candidate_of(r, kind=kind))] if isinstance(results, list) else []
    unique = {c.tmdb_id: c for c in reversed(found)}  # the first listing of an id wins
    scored = [(c, score(c, title=title, year=year)) for c in unique.values()]
    scored.sort(key=lambda pair: (-pair[1], -pair[0].popularity, pair[0].tmdb_id))
    return scored


def best_match(results: object, *, kind: str, title: str, year: int | None) -> tuple[Candidate | None, float]:
    """The best result if it clears THRESHOLD, else (None, best score seen)."""
    scored = ranked(results, kind=kind, title=title, year=year)
    if not scored:
        return None, 0.0
    candidate, best = scored[0]
    return (candidate if best >= THRESHOLD else None), best
