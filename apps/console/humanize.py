"""Numbers as operators read them: 1:52:07, 4.2 GB, 8.1 Mb/s. Anything that is not a finite number shows as —."""

from __future__ import annotations

import math
from datetime import datetime

from django.utils import timezone

MISSING = "—"
SIZE_UNITS = ("B", "kB", "MB", "GB", "TB", "PB")
RATE_UNITS = ("b/s", "kb/s", "Mb/s", "Gb/s")


def _number(value) -> float | None:
    """A finite, non-negative float, or None for anything else (None, text, NaN, infinity, a negative)."""
    if isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return number if math.isfinite(number) and number >= 0 else None


def duration(value) -> str:
    """Seconds as H:MM:SS (1:52:07), or M:SS under an hour (52:07)."""
    number = _number(value)
    if number is None:
        return MISSING
    hours, rest = divmod(int(number), 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"


def _scaled(number: float, units: tuple[str, ...], step: int = 1000) -> str:
    # Decimal units (1 GB = 10^9 B), as drives and bit rates are sold and labelled.
    index = 0
    while number >= step and index < len(units) - 1:
        number /= step
        index += 1
    if index == 0:
        return f"{int(number)} {units[0]}"
    return f"{number:.1f} {units[index]}" if number < 100 else f"{number:.0f} {units[index]}"


def filesize(value) -> str:
    """Bytes as 4.2 GB."""
    number = _number(value)
    return MISSING if number is None else _scaled(number, SIZE_UNITS)


def bitrate(value) -> str:
    """Bits per second as 8.1 Mb/s."""
    number = _number(value)
    return MISSING if number is None else _scaled(number, RATE_UNITS)


def ago(value, now=None) -> str:
    """A past moment as "just now", "5 min ago", "3 h ago", "2 days ago"; — for anything that is no datetime."""
    if not isinstance(value, datetime):
        return MISSING
    seconds = ((now or timezone.now()) - value).total_seconds()
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        return f"{int(seconds // 60)} min ago"
    if seconds < 86400:
        return f"{int(seconds // 3600)} h ago"
    days = int(seconds // 86400)
    return f"{days} day{'s' if days != 1 else ''} ago"


def percent(value, total) -> int:
    """value/total as a whole percentage 0..100; 0 when either is missing."""
    part, whole = _number(value), _number(total)
    if part is None or not whole:
        return 0
    return max(0, min(100, round(100 * part / whole)))
