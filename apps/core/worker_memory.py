"""A running worker's memory, on request: `manage.py worker_memory` asks every worker over Celery's remote control.

The worker answers with its RSS, the gc's figures and the object types it holds most of, its pool processes' RSS
and — when started with REVENGE_TRACEMALLOC=N (frames kept per allocation) — tracemalloc's top allocations.
"""

from __future__ import annotations

import collections
import gc
import os
import resource
import tracemalloc

from celery.worker.control import inspect_command

COMMAND = "revenge_memory"
TOP_MOST = 200
# Allocations made by the snapshot machinery itself say nothing about the worker.
_NOISE = (tracemalloc.__file__, "<frozen importlib._bootstrap>", "<frozen importlib._bootstrap_external>", "<unknown>")


def tracemalloc_start(frames: int) -> bool:
    """At worker start: trace allocations keeping `frames` frames each; 0 leaves it off (it costs memory and CPU)."""
    if frames <= 0 or tracemalloc.is_tracing():
        return False
    tracemalloc.start(frames)
    return True


def rss_bytes(pid: int | str = "self") -> int | None:
    """Resident memory of a process from /proc (Linux); None when it cannot be read (gone, or not Linux)."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def _allocations(top: int) -> dict:
    if not tracemalloc.is_tracing():
        return {"tracing": False}
    snapshot = tracemalloc.take_snapshot().filter_traces([tracemalloc.Filter(False, name) for name in _NOISE])
    current, peak = tracemalloc.get_traced_memory()
    stats = snapshot.statistics("traceback" if tracemalloc.get_traceback_limit() > 1 else "lineno")[:top]
    return {
        "tracing": True,
        "traced_bytes": current,
        "traced_peak_bytes": peak,
        "top": [
            {
                "size_bytes": stat.size,
                "count": stat.count,
                "where": [f"{frame.filename}:{frame.lineno}" for frame in stat.traceback],
            }
            for stat in stats
        ],
    }


def memory_report(*, top: int) -> dict:
    """This process's memory: RSS (now and peak), gc figures, the commonest object types, tracemalloc's top."""
    top = max(1, min(int(top), TOP_MOST))
    kinds = collections.Counter(type(thing).__qualname__ for thing in gc.get_objects())
    now = rss_bytes()
    # Linux counts ru_maxrss in KiB and updates its high-water mark lazily: it can trail the RSS read just now.
    peak = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024, now or 0)
    return {
        "pid": os.getpid(),
        "rss_bytes": now,
        "max_rss_bytes": peak,
        "gc_counts": list(gc.get_count()),
        "gc_objects": kinds.total(),
        "gc_garbage": len(gc.garbage),
        "object_types": kinds.most_common(top),
        "allocations": _allocations(top),
    }


def _pool_pids(state) -> list[int]:
    pool = getattr(getattr(state, "consumer", None), "pool", None)
    try:
        processes = (pool.info or {}).get("processes") or []
    except Exception:  # a pool that cannot describe itself still leaves the main figures
        return []
    return [pid for pid in processes if isinstance(pid, int) and pid != os.getpid()]


@inspect_command(args=[("top", int)], signature="[top=20]")
def revenge_memory(state, top: int = 20) -> dict:
    """Memory of this worker's main process and the RSS of its pool processes (tasks run there with prefork)."""
    report = memory_report(top=top)
    report["pool_processes"] = [{"pid": pid, "rss_bytes": rss_bytes(pid)} for pid in _pool_pids(state)]
    return report
