"""Read the files of a scan (probe, name, NFO, sidecars) in worker processes, a few chunks ahead of the
database writes of the indexer.

Probing is CPU work in FFmpeg, and the rest is Python under the GIL, so threads do not help; forked processes
do, and they overlap the reading of the next chunks with the writes of this one. Workers only read files
(exactly as read_file does in-process): they never touch the database.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Iterator

from apps.libraries.containment import LEAVES
from apps.scanning.indexer import FolderCache, IndexedFile, read_file
from apps.scanning.walker import Skipped

# Below this many files a pool costs more (fork, pickling) than it saves.
POOL_MIN_FILES = 200
CHUNKS_AHEAD = 3
SLICE = 10
# Workers run this much nicer than the process writing: the writes of one chunk after another are the scan's
# critical path, and with as many readers as cores the writer waited for a core about as long as it ran.
READER_NICENESS = 5

ReadChunk = tuple[list[IndexedFile], list[Skipped]]


def _read_slice(paths: list[str], library_kind: str, roots: list[str]) -> list[tuple[IndexedFile | None, list]]:
    cache = FolderCache(roots=roots)
    return [read_file(path=path, library_kind=library_kind, roots=roots, cache=cache) for path in paths]


def pool_size() -> int:
    return max(1, min(os.cpu_count() or 1, 4))


def reads_ahead(chunks: list[list[str]], *, library_kind: str, roots: list[str]) -> Iterator[ReadChunk | None]:
    """For each chunk, in order, its records and problems as scan_index_paths would read them (None: read it
    in-process), computed up to CHUNKS_AHEAD chunks ahead in a process pool."""
    # A daemonic process (a Celery prefork child) may not have children of its own.
    small = sum(len(chunk) for chunk in chunks) < POOL_MIN_FILES
    if small or pool_size() < 2 or multiprocessing.current_process().daemon:
        yield from (None for _ in chunks)
        return
    # fork: the workers start in milliseconds with Django set up and PyAV loaded; they inherit the database
    # connection's socket but never use it, and leave through os._exit, which sends nothing on it.
    from apps.media import probe  # noqa: F401 - lazy in the indexer; loaded here once, before the fork, for all workers

    context = multiprocessing.get_context("fork")
    with context.Pool(pool_size(), initializer=os.nice, initargs=(READER_NICENESS,)) as pool:
        pending: deque = deque()
        queued = 0
        for index in range(len(chunks)):
            while queued < len(chunks) and queued <= index + CHUNKS_AHEAD:
                chunk = chunks[queued]
                # Small slices keep every worker busy to the end of each chunk.
                slices = [(chunk[i : i + SLICE], library_kind, roots) for i in range(0, len(chunk), SLICE)]
                pending.append(pool.starmap_async(_read_slice, slices))
                queued += 1
            yield _merged(pending.popleft().get())


def _merged(slices: list[list[tuple[IndexedFile | None, list[Skipped]]]]) -> ReadChunk:
    """One chunk's records and problems, as one FolderCache for the chunk would report them: a sidecar whose
    link leaves the library once per chunk, not once per slice."""
    records, problems, refused = [], [], set()
    for part in slices:
        for record, found in part:
            for problem in found:
                if problem.reason == LEAVES:
                    if problem.path in refused:
                        continue
                    refused.add(problem.path)
                problems.append(problem)
            if record is not None:
                records.append(record)
    return records, problems
