"""Read TMDb answers defensively, and what movies and shows share: certifications, genres, images, credits.

TMDb JSON is input from outside: every reader here takes any value and returns a typed one or nothing,
so a missing key, a wrong type, a null date or a huge string never reaches the database as it came.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from apps.media.ratings import certification_age

MAX_CAST = 50
# The crew worth listing: who directed and who wrote it ("Creator" for shows comes from created_by).
CREW_JOBS = {"Director", "Writer", "Screenplay", "Story", "Novel", "Author", "Creator", "Teleplay"}
# Release types in the order their certification is trusted: theatrical, limited, premiere, digital, physical, TV.
RELEASE_TYPES = (3, 2, 1, 4, 5, 6)
# TMDb's TV genres pair two of ours; split them so movies and shows share one list of genres.
GENRE_SPLIT = {
    "Action & Adventure": ("Action", "Adventure"),
    "Sci-Fi & Fantasy": ("Science Fiction", "Fantasy"),
    "War & Politics": ("War", "Politics"),
}


def text(value: object, limit: int = 500) -> str:
    return value.strip()[:limit] if isinstance(value, str) else ""


def integer(value: object, *, low: int = 0, high: int = 2**31 - 1) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    number = int(value)
    return number if low <= number <= high else None


def number(value: object, *, low: float = 0.0, high: float = 10.0) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    value = float(value)
    return round(value, 3) if math.isfinite(value) and low <= value <= high else None


def day(value: object) -> date | None:
    """A TMDb date ("1999-03-30", or with a time after it); None for empty, null or impossible ones."""
    if not isinstance(value, str) or len(value) < 10:
        return None
    try:
        found = date.fromisoformat(value[:10])
    except ValueError:
        return None
    return found if 1800 < found.year < 2200 else None


def items(value: object, key: str | None = None) -> list[dict]:
    """The dicts of a list (of `value[key]` when key is given), skipping anything else."""
    if key is not None:
        value = value.get(key) if isinstance(value, dict) else None
    return [entry for entry in value if isinstance(entry, dict)] if isinstance(value, list) else []


def part(value: object, key: str) -> dict:
    found = value.get(key) if isinstance(value, dict) else None
    return found if isinstance(found, dict) else {}


def tmdb_id(value: object) -> str:
    number_ = integer(value, low=1)
    return str(number_) if number_ is not None else ""


def imdb_id(value: object) -> str:
    found = text(value, 32)
    return found if found.startswith("tt") and found[2:].isdigit() and 5 <= len(found) - 2 <= 10 else ""


def names(entries: list[dict], limit: int = 200) -> list[str]:
    return list(dict.fromkeys(n for entry in entries if (n := text(entry.get("name"), limit))))


def genres(entries: list[dict]) -> list[str]:
    """Genre names as ours: TMDb's paired TV genres split into the movie genres they mean."""
    found: list[str] = []
    for name in names(entries, 100):
        found.extend(GENRE_SPLIT.get(name, (name,)))
    return list(dict.fromkeys(found))


def certification_stored(rating: str, country: str) -> str:
    """The certification as we store it: bare when it means the same bare ("R"), else with its country ("GB:PG")."""
    rating = rating[:24]
    if not rating:
        return ""
    bare, prefixed = certification_age(rating), certification_age(f"{country}:{rating}")
    return rating if bare == prefixed else f"{country}:{rating}"


def movie_certification(details: dict, country: str) -> str:
    """The certification of the country's release, preferring theatrical releases, skipping empty ones."""
    for entry in items(part(details, "release_dates"), "results"):
        if text(entry.get("iso_3166_1"), 4).upper() != country:
            continue
        releases = [r for r in items(entry, "release_dates") if text(r.get("certification"), 32)]
        releases.sort(key=lambda r: RELEASE_TYPES.index(r["type"]) if r.get("type") in RELEASE_TYPES else 99)
        if releases:
            return certification_stored(text(releases[0]["certification"], 32), country)
    return ""


def show_certification(details: dict, country: str) -> str:
    for entry in items(part(details, "content_ratings"), "results"):
        if text(entry.get("iso_3166_1"), 4).upper() == country and (rating := text(entry.get("rating"), 32)):
            return certification_stored(rating, country)
    return ""


def best_image(details: dict, key: str, fallback: str, language: str) -> str:
    """The file path of the image to show: the top-voted one in our language or none, else the item's own."""
    listed = items(part(details, "images"), key)
    wanted = (language or "en")[:2]
    usable = [
        i for i in listed if text(i.get("file_path"), 300).startswith("/") and i.get("iso_639_1") in (wanted, None)
    ]
    usable.sort(key=lambda i: -(number(i.get("vote_average")) or 0.0))
    if usable:
        return text(usable[0]["file_path"], 300)
    own = text(details.get(fallback), 300) if fallback else ""
    return own if own.startswith("/") else ""


def image_path(value: object) -> str:
    found = text(value, 300)
    return found if found.startswith("/") and ".." not in found else ""


@dataclass(frozen=True, slots=True)
class CreditValue:
    """One cast role or crew job, as TMDb lists it."""

    person_tmdb_id: str
    name: str
    profile_path: str
    kind: str  # "cast" | "crew"
    character: str = ""
    job: str = ""
    department: str = ""
    order: int = 0


def credits(details: dict) -> list[CreditValue]:
    """Cast (top MAX_CAST by billing) and the directing/writing crew; entries without id or name are skipped."""
    found: list[CreditValue] = []
    block = part(details, "credits")
    cast = sorted(items(block, "cast"), key=lambda c: integer(c.get("order")) or 0)
    for position, entry in enumerate(cast[:MAX_CAST]):
        person, name = tmdb_id(entry.get("id")), text(entry.get("name"), 300)
        if person and name:
            character = text(entry.get("character"), 500)
            found.append(
                CreditValue(person, name, image_path(entry.get("profile_path")), "cast", character, order=position)
            )
    seen: set[tuple[str, str]] = set()
    crew = [*items(details, "created_by"), *items(block, "crew")]
    for position, entry in enumerate(crew):
        person, name = tmdb_id(entry.get("id")), text(entry.get("name"), 300)
        job = text(entry.get("job"), 100) or ("Creator" if position < len(items(details, "created_by")) else "")
        if person and name and job in CREW_JOBS and (person, job) not in seen:
            seen.add((person, job))
            department = text(entry.get("department"), 100) or ("Writing" if job == "Creator" else "")
            found.append(
                CreditValue(person, name, image_path(entry.get("profile_path")), "crew", "", job, department, position)
            )
    return found


@dataclass(slots=True)
class Filled:
    """What TMDb says of a movie or show, as our fields; the writer leaves out what an NFO or an operator set."""

    fields: dict[str, Any]
    genres: list[str] = field(default_factory=list)
    studios: list[str] = field(default_factory=list)
    collection: tuple[str, str] | None = None  # (tmdb id, name)
    credits: list[CreditValue] = field(default_factory=list)
    artwork: dict[str, str] = field(default_factory=dict)  # kind → TMDb file path
