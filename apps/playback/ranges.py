"""HTTP Range requests (RFC 9110 §14): parse, coalesce, and refuse what cannot be served."""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_RANGES = 16  # more parts than any player asks for; beyond that it is an attack (CVE-2011-3192 style)
HUGE = 10**18  # past any file's size: what a number of more than 18 digits means here
DIGITS = re.compile(r"[0-9]+")  # ASCII only: str.isdigit() also takes "²", which int() refuses


class UnsatisfiableRange(ValueError):
    """No requested range overlaps the file (answer 416)."""


@dataclass(frozen=True)
class ByteRange:
    start: int
    end: int  # inclusive

    @property
    def length(self) -> int:
        return self.end - self.start + 1

    def content_range(self, size: int) -> str:
        return f"bytes {self.start}-{self.end}/{size}"


def _number(text: str) -> int | None:
    """A byte position: ASCII digits of any length (thousands of them mean "past the end"), else None."""
    text = text.strip()
    if not DIGITS.fullmatch(text):
        return None
    text = text.lstrip("0") or "0"
    # int() of thousands of digits is slow, and refused past 4300: any such number is past every file.
    return HUGE if len(text) > 18 else int(text)


def range_parse(header: str | None, size: int) -> list[ByteRange] | None:
    """The ranges to send, sorted and merged; None means "send the whole file" (no or malformed header).

    A malformed header is ignored as the RFC allows; a well-formed one that fits nothing raises
    UnsatisfiableRange, and so do more than MAX_RANGES parts.
    """
    if not header:
        return None
    unit, _, spec = header.strip().partition("=")
    if unit.strip().lower() != "bytes" or not spec.strip():
        return None
    parts = [part.strip() for part in spec.split(",")]
    if len(parts) > MAX_RANGES:
        raise UnsatisfiableRange(f"more than {MAX_RANGES} ranges")
    ranges = []
    for part in parts:
        first_text, dash, last_text = part.partition("-")
        first, last = _number(first_text), _number(last_text)
        if not dash or (first is None and last is None):
            return None
        if not first_text.strip():  # suffix: the last N bytes
            if last == 0:
                continue
            ranges.append(ByteRange(max(0, size - last), size - 1))
            continue
        if first is None or (last_text.strip() and last is None):
            return None
        if last is not None and last < first:
            return None
        if first >= size:
            continue
        end = last if last is not None else size - 1
        ranges.append(ByteRange(first, min(end, size - 1)))
    if not ranges:
        raise UnsatisfiableRange("no range overlaps the file")
    return _merged(ranges)


def _merged(ranges: list[ByteRange]) -> list[ByteRange]:
    merged: list[ByteRange] = []
    for current in sorted(ranges, key=lambda r: r.start):
        if merged and current.start <= merged[-1].end + 1:
            merged[-1] = ByteRange(merged[-1].start, max(merged[-1].end, current.end))
        else:
            merged.append(current)
    return merged
