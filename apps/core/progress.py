"""A terminal progress bar for management commands (no dependency, degrades to plain lines off a TTY)."""

from __future__ import annotations

import time
from typing import TextIO


class ProgressBar:
    """`update(done, total)` redraws one line: bar, percent, count and rate."""

    def __init__(self, stream: TextIO, *, label: str = "", unit: str = "files", width: int = 30) -> None:
        self.stream, self.label, self.unit, self.width = stream, label, unit, width
        self.started = time.monotonic()
        self.tty = hasattr(stream, "isatty") and stream.isatty()
        self._last_percent = -1

    def rate(self, done: int) -> float:
        elapsed = time.monotonic() - self.started
        return done / elapsed if elapsed > 0 else 0.0

    def line(self, done: int, total: int) -> str:
        share = done / total if total else 1.0
        filled = round(self.width * share)
        bar = "#" * filled + "-" * (self.width - filled)
        label = f"{self.label} " if self.label else ""
        return f"{label}[{bar}] {share * 100:5.1f}% {done}/{total} {self.unit} {self.rate(done):.0f} {self.unit}/s"

    def update(self, done: int, total: int) -> None:
        percent = int(done * 100 / total) if total else 100
        if self.tty:
            self.stream.write("\r" + self.line(done, total))
            self.stream.flush()
        elif percent // 10 != self._last_percent // 10 or done == total:
            # Off a terminal (logs, CI) one line per 10 % is enough.
            self.stream.write(self.line(done, total) + "\n")
        self._last_percent = percent

    def close(self) -> None:
        if self.tty:
            self.stream.write("\n")
            self.stream.flush()
