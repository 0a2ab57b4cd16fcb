"""Writes of the scanning app: scans from start to finish, and the paths others ask to index."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable
from contextlib import closing
from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from apps.core import dispatch, events
from apps.libraries.containment import allowed_folders
from apps.libraries.models import Library, LibraryScan, ScanError
from apps.media import services as media_services
from apps.scanning import catalogue_compare, library_walk, path_sync
from apps.scanning.catalogue_compare import catalogue_diff
from apps.scanning.walker import KnownFolders, Skipped, printable

if TYPE_CHECKING:
    from apps.scanning import probing

logger = logging.getLogger(__name__)
CHUNK_SIZE = 100
ProgressCallback = Callable[[LibraryScan], None]


class ScanAlreadyRunningError(Exception):
    """A scan of this library is pending or running; `scan` is that one."""

    def __init__(self, scan: LibraryScan) -> None:
        super().__init__(f"a scan of {scan.library} is already {scan.status} (scan {scan.pk})")
        self.scan = scan


def scan_begin(*, library: Library, full: bool = False, kind: str | None = None) -> LibraryScan:
    """Take the library's scan lock by creating a pending scan; a stale one (dead worker) is failed first."""
    kind = kind or (LibraryScan.Kind.FULL if full else LibraryScan.Kind.INCREMENTAL)
    for _attempt in range(2):
        try:
            with transaction.atomic():
                return LibraryScan.objects.create(library=library, kind=kind, heartbeat_at=timezone.now())
        except IntegrityError:
            active = LibraryScan.objects.filter(library=library, status__in=LibraryScan.ACTIVE).first()
            if active is None:
                continue
            if not _is_stale(active):
                raise ScanAlreadyRunningError(active) from None
            scan_fail(scan=active, reason="abandoned: the process running it stopped answering")
    raise ScanAlreadyRunningError(LibraryScan.objects.get(library=library, status__in=LibraryScan.ACTIVE))


def _is_stale(scan: LibraryScan) -> bool:
    last_sign = scan.heartbeat_at or scan.created_at
    return timezone.now() - last_sign > timedelta(minutes=settings.SCAN_STALE_MINUTES)


def scan_run(*, scan: LibraryScan, fanout: bool = False, progress: ProgressCallback | None = None) -> LibraryScan:
    """Walk, compare with the database, remove what is gone, then index new and changed files.

    With `fanout` the indexing is queued as Celery tasks in chunks; otherwise it runs here.
    """
    library = scan.library
    started = LibraryScan.objects.filter(pk=scan.pk, status=LibraryScan.Status.PENDING).update(
        status=LibraryScan.Status.RUNNING, started_at=timezone.now(), heartbeat_at=timezone.now()
    )
    if not started:
        scan.refresh_from_db()
        return scan
    scan.refresh_from_db()
    events.emit("library.scan_started", library_id=library.pk, library=library.name, scan_id=scan.pk, kind=scan.kind)
    try:
        to_index = _walk_and_diff(scan)
        chunks = [to_index[i : i + CHUNK_SIZE] for i in range(0, len(to_index), CHUNK_SIZE)]
        if fanout and chunks:
            for chunk in chunks:
                dispatch.task_enqueue("libraries.index_chunk", args=(scan.pk, chunk))
        elif chunks:
            from apps.scanning import probing  # lazy: naming, NFO and probing load only when a file is to be read

            roots = list(library.folders.values_list("path", flat=True))
            with closing(probing.reads_ahead(chunks, library_kind=library.kind, roots=roots)) as ahead:
                for chunk, read in zip(chunks, ahead, strict=True):
                    scan_index_paths(scan=scan, paths=chunk, read=read)
                    if progress is not None:
                        scan.refresh_from_db()
                        progress(scan)
        scan_finish_if_done(scan=scan)
    except Exception as exc:
        # A scan that stops half-way must not keep the library locked until it goes stale.
        logger.exception("scan %s of %s failed", scan.pk, library)
        scan_fail(scan=scan, reason=f"{type(exc).__name__}: {exc}")
        raise
    scan.refresh_from_db()
    return scan


def _walk_and_diff(scan: LibraryScan) -> list[str]:
    """Walk the folders, record what was skipped, apply moves and removals; returns the paths to index.

    An incremental scan does not list the plain folders whose times are unchanged since the last walk, unless
    the last walk that stat'ed every file is older than REVENGE_SCAN_VERIFY_HOURS (files rewritten in place
    move no folder time; the watcher sees those at once, this walk within that time).
    """
    library = scan.library
    full = scan.kind == LibraryScan.Kind.FULL
    stored = library_walk.folders_stored(library)
    started = timezone.now()
    walked = diff = None
    if not full and library_walk.folders_trusted(library, now=started):
        walked = library_walk.library_walk(library, known=KnownFolders(stored))
        diff = library_walk.diff_within(library, walked=walked, stored=stored)
        if diff is None:
            logger.info("scan of %s: the catalogue does not match the folders skipped; every file is read", library)
    if diff is None:
        walked = library_walk.library_walk(library, known=KnownFolders({}))
        diff = catalogue_diff(library, walked.stats, full=full, unavailable=walked.unavailable)
        Library.objects.filter(pk=library.pk).update(files_verified_at=started)
    scan_errors_record(scan, walked.skipped)
    library_walk.folders_record(library, stored=stored, walked=walked, to_index=diff.to_index)
    removed = media_services.files_remove(library=library, file_ids=diff.missing_ids)
    LibraryScan.objects.filter(pk=scan.pk).update(
        seen=len(walked.stats) + walked.files_not_listed,
        moved=diff.moved,
        unchanged=diff.unchanged + walked.files_not_listed,
        removed=removed,
        errors=F("errors") + len(walked.skipped),
        to_index=len(diff.to_index),
        walked=True,
        heartbeat_at=timezone.now(),
    )
    return diff.to_index


def scan_index_paths(*, scan: LibraryScan, paths: list[str], read: probing.ReadChunk | None = None) -> None:
    """Index these files of the scan's library; the same path is used by chunks, the CLI and the watcher.

    `read`: their records and problems, read ahead in worker processes (probing.reads_ahead); else read here."""
    library = scan.library
    if read is not None:
        records, problems = read
    else:
        from apps.scanning.indexer import FolderCache, read_file  # lazy: as in scan_run, only when files are read

        roots = list(library.folders.values_list("path", flat=True))
        cache = FolderCache(roots=roots)
        records, problems = [], []
        for path in paths:
            record, found_problems = read_file(path=path, library_kind=library.kind, roots=roots, cache=cache)
            problems.extend(found_problems)
            if record is not None:
                records.append(record)
    with events.batch():  # one cache bump and one delivery pass per chunk, not two per new movie
        counts = media_services.files_index(library=library, records=records)
    scan_errors_record(scan, problems)
    LibraryScan.objects.filter(pk=scan.pk).update(
        added=F("added") + counts.added,
        updated=F("updated") + counts.updated,
        errors=F("errors") + len(problems),
        indexed=F("indexed") + len(paths),
        heartbeat_at=timezone.now(),
    )


def scan_errors_record(scan: LibraryScan, skipped: list[Skipped]) -> None:
    ScanError.objects.bulk_create(
        [ScanError(scan=scan, path=printable(s.path), reason=s.reason[:2000]) for s in skipped], batch_size=500
    )


def scan_finish_if_done(*, scan: LibraryScan) -> bool:
    """Complete the scan once every file is indexed; exactly one caller wins and announces it."""
    now = timezone.now()
    finished = LibraryScan.objects.filter(
        pk=scan.pk, status=LibraryScan.Status.RUNNING, walked=True, indexed__gte=F("to_index")
    ).update(status=LibraryScan.Status.COMPLETED, finished_at=now, heartbeat_at=now)
    if not finished:
        return False
    scan.refresh_from_db()
    Library.objects.filter(pk=scan.library_id).update(last_scanned_at=now)
    counters = {name: getattr(scan, name) for name in COUNTERS}
    events.emit(
        "library.scan_completed",
        library_id=scan.library_id,
        library=scan.library.name,
        scan_id=scan.pk,
        kind=scan.kind,
        counters=counters,
        duration=scan.duration.total_seconds() if scan.duration else None,
    )
    return True


COUNTERS = ("seen", "added", "updated", "moved", "removed", "unchanged", "errors")


def scan_fail(*, scan: LibraryScan, reason: str) -> None:
    """Mark an active scan failed (which releases the library's lock) and announce it."""
    updated = LibraryScan.objects.filter(pk=scan.pk, status__in=LibraryScan.ACTIVE).update(
        status=LibraryScan.Status.FAILED, failure=reason[:5000], finished_at=timezone.now()
    )
    if updated:
        events.emit(
            "library.scan_failed",
            library_id=scan.library_id,
            library=scan.library.name,
            scan_id=scan.pk,
            reason=reason[:500],
        )


def scan_cancel(*, scan: LibraryScan) -> bool:
    """Stop an active scan: queued chunks see it and do nothing."""
    return bool(
        LibraryScan.objects.filter(pk=scan.pk, status__in=LibraryScan.ACTIVE).update(
            status=LibraryScan.Status.CANCELLED, finished_at=timezone.now()
        )
    )


def library_scan_enqueue(*, library: Library, full: bool = False) -> LibraryScan:
    """Start a scan in the workers; raises ScanAlreadyRunningError when one is active."""
    scan = scan_begin(library=library, full=full)
    dispatch.task_enqueue("libraries.scan_run", args=(scan.pk,))
    return scan


def libraries_scan_due() -> list[int]:
    """Queue an incremental scan of each enabled library whose scan interval has passed; returns scan ids."""
    now = timezone.now()
    started = []
    for library in Library.objects.filter(enabled=True, scan_interval_minutes__gt=0):
        due = library.last_scanned_at is None or now - library.last_scanned_at >= timedelta(
            minutes=library.scan_interval_minutes
        )
        if not due:
            continue
        try:
            started.append(library_scan_enqueue(library=library).pk)
        except ScanAlreadyRunningError:
            continue
    return started


def library_paths_sync(*, library: Library, paths: Iterable[str], forced: Iterable[str] = ()) -> LibraryScan:
    """Index new and changed files at or under `paths`, remove the gone ones, keep the ids of moves.

    Runs as a scan of kind "watch", so it takes the library's scan lock (ScanAlreadyRunningError when
    another scan holds it) and records its errors and counters like any scan.
    """
    roots = library.paths
    wanted = sorted({os.path.normpath(p) for p in paths if isinstance(p, str) and p and "\x00" not in p})
    inside = [p for p in wanted if (root := path_sync.root_of(p, roots)) and path_sync.is_watched_path(p, root)]
    unavailable = sorted({root for p in inside if path_sync.root_unavailable(root := path_sync.root_of(p, roots))})
    inside = [p for p in inside if path_sync.root_of(p, roots) not in unavailable]
    forced_paths = frozenset(os.path.normpath(p) for p in forced) & set(inside)
    scan = scan_begin(library=library, kind=LibraryScan.Kind.WATCH)
    LibraryScan.objects.filter(pk=scan.pk).update(
        status=LibraryScan.Status.RUNNING, started_at=timezone.now(), heartbeat_at=timezone.now()
    )
    try:
        stats, skipped = path_sync.stats_of(inside, allowed_folders(roots))
        scan_errors_record(scan, skipped)
        within, under = None, frozenset(inside)
        if (
            len(inside) <= catalogue_compare.FOLDERS_NAMED_MAX
        ):  # else SQLite refuses the query ("Expression tree is too large")
            within, under = Q(pk__in=[]), None
            for path in inside:
                within |= Q(path=path) | Q(path__startswith=path + os.sep)
        diff = catalogue_diff(
            library,
            stats,
            full=False,
            unavailable=unavailable,
            rows_within=within,
            rows_under=under,
            forced=forced_paths,
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
        for start in range(0, len(diff.to_index), CHUNK_SIZE):
            scan_index_paths(scan=scan, paths=diff.to_index[start : start + CHUNK_SIZE])
        scan_finish_if_done(scan=scan)
    except Exception as exc:
        logger.exception("watcher batch of %s failed", library)
        scan_fail(scan=scan, reason=f"{type(exc).__name__}: {exc}")
        raise
    scan.refresh_from_db()
    return scan


def paths_index(*, paths: Iterable[str]) -> list[int]:
    """Index these local paths incrementally in the enabled libraries that hold them; returns the watch scans' ids.

    Raises ScanAlreadyRunningError when another scan holds one of those libraries (the caller retries).
    """
    by_library: dict[Library, list[str]] = {}
    libraries = list(Library.objects.filter(enabled=True).prefetch_related("folders"))
    for path in paths:
        for library in libraries:
            if path_sync.root_of(os.path.normpath(path), library.paths):
                by_library.setdefault(library, []).append(path)
    return [library_paths_sync(library=library, paths=found).pk for library, found in by_library.items()]
