"""Writes of the scanning app: scans from start to finish, and the paths others ask to index."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable
from contextlib import closing
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q, Value
from django.db.models.functions import StrIndex, Substr
from django.db.models.lookups import Exact
from django.utils import timezone

from apps.core import dispatch, events
from apps.libraries.containment import LEAVES, allowed_folders, is_within
from apps.libraries.models import Library, LibraryScan, ScanError, WalkedFolder
from apps.media import services as media_services
from apps.media.models import MediaFile
from apps.scanning import path_sync
from apps.scanning.fingerprint import file_fingerprint
from apps.scanning.walker import (
    MAX_PATH_LENGTH,
    FileStat,
    FolderSeen,
    KnownFolders,
    Skipped,
    is_utf8,
    printable,
    walk,
)

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


NEW, CHANGED, UNCHANGED = 0, 1, 2


@dataclass
class Diff:
    to_index: list[str]
    missing_ids: list[int]
    moved: int
    unchanged: int
    rows: int = 0  # rows compared
    rows_not_listed: int = 0  # of which in folders not listed
    new: list[FileStat] = field(default_factory=list)  # kept when the moves are not applied yet
    missing: dict[int, tuple] = field(default_factory=dict)


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
    stored = _folders_stored(library)
    started = timezone.now()
    walked = diff = None
    if not full and _folders_trusted(library, started):
        walked = _walk_library(library, known=KnownFolders(stored))
        diff = _diff_within(library, walked, stored)
        if diff is None:
            logger.info("scan of %s: the catalogue does not match the folders skipped; every file is read", library)
    if diff is None:
        walked = _walk_library(library, known=KnownFolders({}))
        diff = catalogue_diff(library, walked.stats, full=full, unavailable=walked.unavailable)
        Library.objects.filter(pk=library.pk).update(files_verified_at=started)
    scan_errors_record(scan, walked.skipped)
    _folders_record(library, stored=stored, walked=walked, to_index=diff.to_index)
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


@dataclass
class Walked:
    """What a walk of a library's folders found: files, problems, unreachable folders, and each folder."""

    stats: list[FileStat]
    skipped: list[Skipped]
    unavailable: list[str]
    folders: list[FolderSeen]

    @property
    def files_not_listed(self) -> int:
        return sum(folder.files for folder in self.folders if not folder.listed)


def _walk_library(library: Library, *, known: KnownFolders | None = None) -> Walked:
    """Files of every folder, the problems met, and the folders that were unreachable or came back empty."""
    walked = Walked([], [], [], [])
    stats, skipped, unavailable, folders = walked.stats, walked.skipped, walked.unavailable, walked.folders
    roots = library.paths
    allowed = allowed_folders(roots)
    # A folder inside another folder of the library is walked twice: each file and folder is kept once (the same
    # path indexed twice in one batch broke the first scan of such a library).
    overlap = any(a != b and is_within(a, b) for a in roots for b in roots)
    once: set[str] = set()
    for folder in library.folders.all():
        found_here = 0
        for found in walk(folder.path, allowed=allowed, known=known):
            kind = type(found)
            if kind is FileStat:
                found_here += 1
                if overlap:
                    if found.path in once:
                        continue
                    once.add(found.path)
                stats.append(found)
            elif kind is FolderSeen:
                found_here += found.files if not found.listed else 0
                if overlap:
                    if found.path in once:
                        continue
                    once.add(found.path)
                folders.append(found)
            else:
                skipped.append(found)
                found_here += found.reason == LEAVES  # a folder of refused links is no unmounted disk
                if found.path == folder.path:
                    unavailable.append(folder.path)
        if not found_here and folder.path not in unavailable and _has_files_under(library, folder.path):
            # An empty mount point usually means an unmounted disk: keep the catalogue.
            unavailable.append(folder.path)
            skipped.append(Skipped(folder.path, "library folder is empty; its files are kept until it has files again"))
    return walked


def _has_files_under(library: Library, folder: str) -> bool:
    return MediaFile.objects.filter(library=library, path__startswith=folder.rstrip(os.sep) + os.sep).exists()


def _folders_trusted(library: Library, now) -> bool:
    hours = settings.SCAN_VERIFY_HOURS
    verified = library.files_verified_at
    return bool(hours) and verified is not None and now - verified < timedelta(hours=hours)


def _folders_stored(library: Library) -> dict[str, FolderSeen]:
    columns = ("path", "device", "inode", "mtime_ns", "ctime_ns", "files", "plain")
    rows = WalkedFolder.objects.filter(library=library).values_list(*columns)
    return {row[0]: FolderSeen(*row) for row in rows.iterator(chunk_size=5000)}


# Past this many folders to compare, one pass over all of the library's rows costs less than a query naming each.
FOLDERS_NAMED_MAX = 100


def _diff_within(library: Library, walked: Walked, stored: dict[str, FolderSeen]) -> Diff | None:
    """The diff of a walk that skipped unchanged folders, comparing only the rows of the folders it listed or
    found gone; None when the rows do not add up to what the skipped folders held (rows deleted or added
    elsewhere than by a scan), and every file must be read."""
    listed = [folder.path for folder in walked.folders if folder.listed]
    not_listed = frozenset(folder.path for folder in walked.folders if not folder.listed)
    if not not_listed:
        return catalogue_diff(library, walked.stats, full=False, unavailable=walked.unavailable)
    seen = not_listed.union(listed)
    kept = tuple(root.rstrip(os.sep) + os.sep for root in walked.unavailable)
    gone = [path for path in stored if path not in seen and not path.startswith(kept)]
    within = None
    if len(listed) + len(gone) <= FOLDERS_NAMED_MAX:
        within = Q(pk__in=[])
        for path in listed:
            prefix = path + os.sep
            within |= Q(path__startswith=prefix) & Exact(StrIndex(Substr("path", len(prefix) + 1), Value(os.sep)), 0)
        for path in gone:
            within |= Q(path__startswith=path + os.sep)
    diff = catalogue_diff(
        library,
        walked.stats,
        full=False,
        unavailable=walked.unavailable,
        rows_within=within,
        not_listed=not_listed,
        moves=False,
    )
    rows = diff.rows if within is None else MediaFile.objects.filter(library=library).count()
    if rows - (diff.rows - diff.rows_not_listed) != walked.files_not_listed:
        return None  # before any move is written: this diff's "missing" may be rows it did not account for
    diff.moved = _apply_moves(library, diff.new, diff.missing)
    diff.missing_ids = list(diff.missing)
    return diff


def _folders_record(library: Library, *, stored: dict[str, FolderSeen], walked: Walked, to_index: list[str]) -> None:
    """Keep each listed folder as found, not plain while a file in it waits to be indexed; forget those gone."""
    waiting = {os.path.dirname(path) for path in to_index}
    changed = []
    # By path: folders of a library may overlap (one inside another), and then a walk sees a folder twice.
    for folder in {folder.path: folder for folder in walked.folders}.values():
        if not folder.listed or len(folder.path) > MAX_PATH_LENGTH or not is_utf8(folder.path):
            continue
        if folder.plain and folder.path in waiting:
            folder = folder._replace(plain=False)
        if stored.get(folder.path) != folder:
            path, device, inode, mtime_ns, ctime_ns, files, plain, _listed = folder
            changed.append(
                WalkedFolder(
                    library=library,
                    path=path,
                    device=device,
                    inode=inode,
                    mtime_ns=mtime_ns,
                    ctime_ns=ctime_ns,
                    files=files,
                    plain=plain,
                )
            )
    columns = ["device", "inode", "mtime_ns", "ctime_ns", "files", "plain"]
    WalkedFolder.objects.bulk_create(
        changed, update_conflicts=True, unique_fields=["library", "path"], update_fields=columns, batch_size=1000
    )
    kept = tuple(root.rstrip(os.sep) + os.sep for root in walked.unavailable)
    seen = {folder.path for folder in walked.folders}
    gone = [path for path in stored if path not in seen and not path.startswith(kept)]
    for start in range(0, len(gone), 1000):
        WalkedFolder.objects.filter(library=library, path__in=gone[start : start + 1000]).delete()


def catalogue_diff(
    library: Library,
    stats: list[FileStat],
    *,
    full: bool,
    unavailable: list[str],
    rows_within: Q | None = None,
    forced: frozenset[str] = frozenset(),
    not_listed: frozenset[str] = frozenset(),
    rows_under: frozenset[str] | None = None,
    moves: bool = True,
) -> Diff:
    """What changed since the last scan, without opening any unchanged file.

    `rows_within` limits the comparison to part of the catalogue (a watcher batch), as `rows_under` does for
    rows at or under those paths when there are too many to name in one query; `forced` paths are
    indexed even when unchanged (their sidecars changed); rows directly in a `not_listed` folder (unchanged,
    not walked) are neither compared nor missing: they are counted. Without `moves` the moves are not applied
    (by `_apply_moves`, later, with the diff's `new` and `missing`).
    """
    files = MediaFile.objects.filter(library=library)
    if rows_within is not None:
        files = files.filter(rows_within)
    # The rows stream past the files found (by position in `stats`, walk order kept) instead of all being held
    # in a dict beside them: half the memory of a rescan, which is one FileStat per file now.
    position: dict[str, int | list[int]] = {found.path: i for i, found in enumerate(stats)}
    if len(position) != len(stats):
        position = {}
        for i, found in enumerate(stats):
            first = position.setdefault(found.path, i)
            if first != i:  # the same path twice (overlapping folders): each is compared, as before
                position[found.path] = [*first, i] if isinstance(first, list) else [first, i]
    status = bytearray(len(stats))  # NEW, CHANGED or UNCHANGED, by position
    kept = tuple(folder.rstrip(os.sep) + os.sep for folder in unavailable)
    missing: dict[int, tuple] = {}
    columns = ("id", "path", "size", "mtime_ns", "device", "inode", "fingerprint")
    get, plain = position.get, not full and not forced
    rows = rows_not_listed = 0
    for row in files.values_list(*columns).iterator(chunk_size=5000):
        rows += 1
        where = get(row[1])
        if where is None:
            if rows_under is not None and not _is_under(row[1], rows_under):
                continue
            if not_listed and row[1][: row[1].rfind(os.sep)] in not_listed:
                rows_not_listed += 1
            elif not (kept and row[1].startswith(kept)):
                missing[row[0]] = row
        elif plain and type(where) is int:  # the rescan's common case, a tenth of a microsecond each counts
            found = stats[where]
            same = row[2] == found[1] and row[3] == found[2] and row[5] == found[4]  # size, mtime_ns, inode
            status[where] = UNCHANGED if same else CHANGED
        else:
            for i in where if isinstance(where, list) else (where,):
                found = stats[i]
                same = (row[2], row[3], row[5]) == (found.size, found.mtime_ns, found.inode)
                status[i] = CHANGED if full or found.path in forced or not same else UNCHANGED
    del position
    new = [found for found, state in zip(stats, status, strict=True) if state == NEW] if NEW in status else []
    to_index = (
        [found.path for found, state in zip(stats, status, strict=True) if state == CHANGED]
        if CHANGED in status
        else []
    )
    unchanged = status.count(UNCHANGED)
    moved = _apply_moves(library, new, missing) if moves else 0
    to_index.extend(s.path for s in new)
    return Diff(
        to_index=to_index,
        missing_ids=list(missing),
        moved=moved,
        unchanged=unchanged,
        rows=rows,
        rows_not_listed=rows_not_listed,
        new=new if not moves else [],
        missing=missing if not moves else {},
    )


def _is_under(path: str, paths: frozenset[str]) -> bool:
    """Whether `path` is one of `paths` or under one: a set lookup per ancestor, not a prefix test per path."""
    while path not in paths:
        parent = os.path.dirname(path)
        if parent == path:
            return False
        path = parent
    return True


def _apply_moves(library: Library, new: list[FileStat], missing: dict[int, tuple]) -> int:
    """Give a new path to rows whose file moved (same inode and size, or same size and fingerprint); they keep
    their ids.

    Inodes are matched first, for every new file: a copy of a moved file has its fingerprint too, and must not
    take its row because it comes first in the walk."""
    if not new or not missing:
        return 0
    # With the size: a file deleted frees its inode for the next one written, which is no move of it.
    by_inode = {(row[4], row[5], row[2]): row_id for row_id, row in missing.items()}
    moved = 0
    unmatched = []
    for found in new:
        row_id = by_inode.get((found.device, found.inode, found.size))
        if row_id is not None and _move(row_id, found.path, missing):
            moved += 1
        else:
            unmatched.append(found)
    sizes = {row[2] for row in missing.values()}
    by_fingerprint = {(row[2], row[6]): row_id for row_id, row in missing.items() if row[6]}
    for found in unmatched:
        if found.size not in sizes:
            continue
        try:
            row_id = by_fingerprint.get((found.size, file_fingerprint(found.path, found.size)))
        except OSError:
            continue
        if row_id is not None and _move(row_id, found.path, missing):
            moved += 1
    return moved


def _move(row_id: int, path: str, missing: dict[int, tuple]) -> bool:
    if row_id not in missing:
        return False
    try:
        with transaction.atomic():
            MediaFile.objects.filter(pk=row_id).update(path=path)
    except IntegrityError:
        return False
    del missing[row_id]
    return True


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
        if len(inside) <= FOLDERS_NAMED_MAX:  # else SQLite refuses the query ("Expression tree is too large")
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
