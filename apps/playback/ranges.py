"""HTTP Range requests (RFC 9110 §14): parse, coalesce, and refuse what cannot be served."""

from __future__ import annotations

from dataclasses import dataclass

MAX_RANGES = 16  # more parts than any player asks for; beyond that it is an attack (CVE-2011-3192 style)


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


def parse_range(header: str | None, size: int) -> list[ByteRange] | None:
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
        first, dash, last = part.partition("-")
        if not dash or not (first.strip().isdigit() or last.strip().isdigit()):
            return None
        if not first.strip():  # suffix: the last N bytes
            count = int(last)
            if count == 0:
                continue
            ranges.append(ByteRange(max(0, size - count), size - 1))
            continue
        if last.strip() and not last.strip().isdigit():
            return None
        start = int(first)
        if last.strip() and int(last) < start:
            return None
        if start >= size:
            continue
        end = int(last) if last.strip() else size - 1
        ranges.append(ByteRange(start, min(end, size - 1)))
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
