"""Which changed files are complete: size and modification time held still long enough, and closed."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class Pending:
    state: tuple[int, int] | None  # (size, mtime_ns), None while the path does not exist
    changed_at: float
    created: bool  # seen being created: wait for it to be closed after writing
    closed: bool


def _state(path: str) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns


class StabilityTracker:
    """A file is ready once its size and mtime held for `stable_seconds`; a file seen created must also
    have been closed after writing, or have held still for `open_grace` times as long (a writer that
    never closes, or a filesystem that sends no close event).
    """

    def __init__(
        self, stable_seconds: float, *, open_grace: float = 10, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.stable_seconds = stable_seconds
        self.open_grace = open_grace
        self.clock = clock
        self.pending: dict[str, Pending] = {}

    def __len__(self) -> int:
        return len(self.pending)

    def waiting_under(self, roots: list[str]) -> bool:
        """Whether any file under these folders is still settling."""
        prefixes = tuple(root.rstrip("/") + "/" for root in roots)
        return any(path.startswith(prefixes) for path in self.pending)

    def touch(self, path: str, *, created: bool = False, closed: bool = False) -> None:
        """Something happened to `path`: (re)start its wait."""
        now = self.clock()
        entry = self.pending.get(path)
        if entry is None:
            self.pending[path] = Pending(_state(path), now, created, closed)
            return
        # A create for a path already waiting is pyinotify replaying a new folder's contents, not a new file.
        entry.state, entry.changed_at = _state(path), now
        entry.closed = entry.closed or closed

    def ready(self) -> list[str]:
        """Paths that are complete now (or gone), removed from the tracker."""
        now = self.clock()
        done = []
        for path, entry in list(self.pending.items()):
            state = _state(path)
            if state != entry.state:
                entry.state, entry.changed_at = state, now
                if state is not None:
                    continue
            quiet = now - entry.changed_at
            if state is None:
                done.append(path)  # gone again: let the batch remove it, if it was ever indexed
            elif quiet >= self.stable_seconds and (
                entry.closed or not entry.created or quiet >= self.stable_seconds * self.open_grace
            ):
                done.append(path)
        for path in done:
            del self.pending[path]
        return done
