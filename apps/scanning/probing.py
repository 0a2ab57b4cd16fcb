"""Probe the files of a scan in worker processes, a few chunks ahead of the indexer that writes them.

Probing is CPU work in FFmpeg under the GIL, so threads do not help; forked processes do, and they overlap
it with the database writes of the chunk before. Workers only read files: they never touch the database.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Iterator

from apps.media.probe import ProbeError, ProbeResult, probe_file
from apps.scanning.walker import FileStat, stat_file

# Below this many files a pool costs more (fork, pickling) than it saves.
POOL_MIN_FILES = 200
CHUNKS_AHEAD = 3
SLICE = 5

Probed = ProbeResult | ProbeError | None


def probe_contained(path: str, allowed: tuple[str, ...]) -> Probed:
    """The probe of `path`, or its ProbeError; None (not opened) when it is no regular file inside `allowed`."""
    if not isinstance(stat_file(path, allowed=allowed), FileStat):
        return None  # the indexer stats it again and reports why
    try:
        return probe_file(path)
    except ProbeError as exc:
        return exc


def _probe_many(paths: list[str], allowed: tuple[str, ...]) -> list[Probed]:
    return [probe_contained(path, allowed) for path in paths]


def pool_size() -> int:
    return max(1, min(os.cpu_count() or 1, 4))


def probes_ahead(chunks: list[list[str]], *, allowed: tuple[str, ...]) -> Iterator[dict[str, Probed] | None]:
    """For each chunk, in order, its probes by path (None: probe in-process), computed up to CHUNKS_AHEAD ahead."""
    if sum(len(chunk) for chunk in chunks) < POOL_MIN_FILES or pool_size() < 2:
        yield from (None for _ in chunks)
        return
    # fork: the workers start in milliseconds with PyAV already loaded; they inherit the database connection's
    # socket but never use it, and leave through os._exit, which sends nothing on it.
    context = multiprocessing.get_context("fork")
    with context.Pool(pool_size()) as pool:
        pending: deque = deque()
        queued = 0
        for index in range(len(chunks)):
            while queued < len(chunks) and queued <= index + CHUNKS_AHEAD:
                slices = _slices(chunks[queued])
                pending.append((slices, pool.starmap_async(_probe_many, [(s, allowed) for s in slices])))
                queued += 1
            slices, job = pending.popleft()
            yield {
                path: probed
                for paths, probed_list in zip(slices, job.get(), strict=True)
                for path, probed in zip(paths, probed_list, strict=True)
            }


def _slices(chunk: list[str]) -> list[list[str]]:
    # Small slices keep every worker busy to the end of each chunk.
    return [chunk[i : i + SLICE] for i in range(0, len(chunk), SLICE)]
