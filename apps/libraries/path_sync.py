"""Bring a few paths of a library up to date, the way a scan would: the watcher's only way to write."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable

from django.db.models import Q
from django.utils import timezone

from apps.libraries import services
from apps.libraries.containment import allowed_folders
from apps.libraries.models import Library, LibraryScan
from apps.libraries.sidecars import classify, is_ignored
from apps.libraries.walker import FileStat, Skipped, stat_file, walk
from apps.media import services as media_services

logger = logging.getLogger(__name__)


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


def _root_unavailable(root: str) -> bool:
    """An unmounted disk shows as a missing or empty folder: nothing under it is removed then."""
    try:
        with os.scandir(root) as entries:
            return next(entries, None) is None
    except OSError:
        return True


def _stats_of(paths: list[str], allowed: tuple[str, ...]) -> tuple[list[FileStat], list[Skipped]]:
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


def library_paths_sync(*, library: Library, paths: Iterable[str], forced: Iterable[str] = ()) -> LibraryScan:
    """Index new and changed files at or under `paths`, remove the gone ones, keep the ids of moves.

    Runs as a scan of kind "watch", so it takes the library's scan lock (ScanAlreadyRunningError when
    another scan holds it) and records its errors and counters like any scan.
    """
    roots = library.paths
    wanted = sorted({os.path.normpath(p) for p in paths if isinstance(p, str) and p and "\x00" not in p})
    inside = [p for p in wanted if (root := root_of(p, roots)) and is_watched_path(p, root)]
    unavailable = sorted({root for p in inside if _root_unavailable(root := root_of(p, roots))})
    inside = [p for p in inside if root_of(p, roots) not in unavailable]
    forced_paths = frozenset(os.path.normpath(p) for p in forced) & set(inside)
    scan = services.scan_begin(library=library, kind=LibraryScan.Kind.WATCH)
    LibraryScan.objects.filter(pk=scan.pk).update(
        status=LibraryScan.Status.RUNNING, started_at=timezone.now(), heartbeat_at=timezone.now()
    )
    try:
        stats, skipped = _stats_of(inside, allowed_folders(roots))
        services.scan_errors_record(scan, skipped)
        within = Q(pk__in=[])
        for path in inside:
            within |= Q(path=path) | Q(path__startswith=path + os.sep)
        diff = services.catalogue_diff(
            library, stats, full=False, unavailable=unavailable, rows_within=within, forced=forced_paths
        )
        removed = media_services.files_remove(library=library, file_ids=diff.missing_ids)
        LibraryScan.objects.filter(pk=scan.pk).update(
            seen=len(stats),
            moved=diff.moved,
            unchanged=diff.unchanged,
            removed=removed,
            errors=len(skipped),
            to_index=len(diff.to_index),
            walked=True,
        )
        for start in range(0, len(diff.to_index), services.CHUNK_SIZE):
            services.scan_index_paths(scan=scan, paths=diff.to_index[start : start + services.CHUNK_SIZE])
        services.scan_finish_if_done(scan=scan)
    except Exception as exc:
        logger.exception("watcher batch of %s failed", library)
        services.scan_fail(scan=scan, reason=f"{type(exc).__name__}: {exc}")
        raise
    scan.refresh_from_db()
    return scan
