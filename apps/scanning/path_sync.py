"""The paths a watcher batch or an import names: which library folder holds them, and what is on disk there."""

from __future__ import annotations

import os
from collections.abc import Iterable

from apps.scanning.sidecars import classify, is_ignored
from apps.scanning.walker import FileStat, Skipped, stat_file, walk


def root_of(path: str, roots: Iterable[str]) -> str | None:
    """The library folder `path` lies in (or is), or None when it is outside every one."""
    for root in roots:
        base = root.rstrip(os.sep)
        if path == base or path.startswith(base + os.sep):
            return root
    return None


def is_watched_path(path: str, root: str) -> bool:
    """False for paths inside hidden, trash or NAS metadata folders, which a scan skips too."""
    relative = os.path.relpath(path, root)
    return relative == "." or not any(is_ignored(part) for part in relative.split(os.sep))


def root_unavailable(root: str) -> bool:
    """An unmounted disk shows as a missing or empty folder: nothing under it is removed then."""
    try:
        with os.scandir(root) as entries:
            return next(entries, None) is None
    except OSError:
        return True


def stats_of(paths: list[str], allowed: tuple[str, ...]) -> tuple[list[FileStat], list[Skipped]]:
    stats: dict[str, FileStat] = {}
    skipped: list[Skipped] = []
    for path in paths:
        if os.path.isdir(path):
            found_all = walk(path, allowed=allowed)
        elif os.path.lexists(path) and classify(os.path.basename(path)) == "video":
            found_all = [stat_file(path, allowed=allowed)]
        else:
            continue  # gone, or not a video: its rows (if any) are compared below
        for found in found_all:
            if isinstance(found, FileStat):
                stats[found.path] = found
            else:
                skipped.append(found)
    return list(stats.values()), skipped
