"""Event patterns: an exact name ("request.available"), a category ("media"), a glob ("playback.*") or "*"."""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable

from apps.core.events import CATALOGUE

DIGEST = "digest"  # not a domain event: the daily or weekly summary, which channels may ask for by this word


def categories() -> set[str]:
    return {entry.category for entry in CATALOGUE.values()}


def matches(patterns: Iterable[str], name: str, category: str) -> bool:
    """Whether any pattern names this event, its category, or matches its name as a glob."""
    return any(pattern in ("*", name, category) or fnmatch.fnmatchcase(name, pattern) for pattern in patterns)


def pattern_problem(pattern: object, *, allow_digest: bool = False) -> str | None:
    """Why `pattern` is not a usable pattern, or None when it is."""
    if not isinstance(pattern, str) or not pattern.strip():
        return f"{pattern!r} is not an event name, category or pattern"
    if pattern == "*" or pattern in CATALOGUE or pattern in categories() or (allow_digest and pattern == DIGEST):
        return None
    if any(ch in pattern for ch in "*?[") and any(fnmatch.fnmatchcase(name, pattern) for name in CATALOGUE):
        return None
    return f"{pattern!r} names no event of the catalogue (see /api/v1/notifications/events/)"


def patterns_clean(value: object, *, field: str, allow_digest: bool = False) -> list[str]:
    """A list of valid patterns without repeats, or a ValueError naming each bad one."""
    if value in (None, ""):
        return []
    if not isinstance(value, (list, tuple)):
        raise ValueError(f"{field} must be a list of event names, categories or patterns")
    problems = [p for p in (pattern_problem(item, allow_digest=allow_digest) for item in value) if p]
    if problems:
        raise ValueError("; ".join(problems))
    return list(dict.fromkeys(item.strip() for item in value))
