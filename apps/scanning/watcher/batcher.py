"""Bursts of ready paths become one batch per library, with the two halves of a move kept together."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Batch:
    paths: set[str] = field(default_factory=set)
    forced: set[str] = field(default_factory=set)
    first_at: float = 0.0
    last_at: float = 0.0


class Batcher:
    """Collects paths per library; a batch is due when quiet for `settle` seconds, `max_wait` old, or full.

    A steady stream of files thus goes out every `max_wait` seconds instead of waiting for a lull.

    A move out of a folder (IN_MOVED_FROM) holds its library's batch for up to `pair_window` seconds so
    that the move's destination lands in the same batch: then the file keeps its id.
    """

    def __init__(
        self,
        *,
        settle: float = 0.25,
        max_wait: float = 0.75,
        max_size: int = 500,
        pair_window: float = 1.0,
        max_hold: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.settle, self.max_wait, self.max_size, self.pair_window = settle, max_wait, max_size, pair_window
        self.max_hold = max_hold
        self.clock = clock
        self.batches: dict[int, Batch] = {}
        self.unpaired: dict[int, tuple[int, float]] = {}  # cookie -> (library id, when)

    def add(self, library_id: int, path: str, *, forced: bool = False) -> None:
        now = self.clock()
        batch = self.batches.get(library_id)
        if batch is None:
            batch = self.batches[library_id] = Batch(first_at=now)
        batch.paths.add(path)
        if forced:
            batch.forced.add(path)
        batch.last_at = now

    def moved_from(self, library_id: int, path: str, cookie: int) -> None:
        self.add(library_id, path)
        self.unpaired[cookie] = (library_id, self.clock())

    def moved_to(self, library_id: int, path: str, cookie: int) -> None:
        self.unpaired.pop(cookie, None)
        self.add(library_id, path)

    def pending(self) -> int:
        return sum(len(batch.paths) for batch in self.batches.values())

    def due(self, settling: Callable[[int], bool] = lambda library_id: False) -> list[tuple[int, list[str], list[str]]]:
        """Batches to send now, as (library id, paths, forced paths).

        An unpaired move-out also waits while `settling(library_id)` says files of that library are still
        settling (up to `max_hold`): the moved files may be among them, seen as new.
        """
        now = self.clock()
        held = {
            lib
            for lib, at in self.unpaired.values()
            if now - at < self.pair_window or (now - at < self.max_hold and settling(lib))
        }
        self.unpaired = {c: (lib, at) for c, (lib, at) in self.unpaired.items() if now - at < self.max_hold}
        out = []
        for library_id, batch in list(self.batches.items()):
            full = len(batch.paths) >= self.max_size
            age = now - batch.first_at
            waited = (now - batch.last_at >= self.settle or age >= self.max_wait) and library_id not in held
            if full or waited or age >= self.max_hold:
                out.append((library_id, sorted(batch.paths), sorted(batch.forced)))
                del self.batches[library_id]
        return out
