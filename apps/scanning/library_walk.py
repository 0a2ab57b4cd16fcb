"""A scan's walk of a library's folders, and the record of each folder that lets the next incremental scan skip
the unchanged ones (walker.walk with `known`)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q, Value
from django.db.models.functions import StrIndex, Substr
from django.db.models.lookups import Exact

from apps.libraries.containment import LEAVES, allowed_folders, is_within
from apps.libraries.models import Library, WalkedFolder
from apps.media.models import MediaFile
from apps.scanning import catalogue_compare
from apps.scanning.catalogue_compare import Diff, apply_moves, catalogue_diff
from apps.scanning.walker import (
    MAX_PATH_LENGTH,
    FileStat,
    FolderSeen,
    KnownFolders,
    Skipped,
    is_utf8,
    walk,
)


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


def library_walk(library: Library, *, known: KnownFolders) -> Walked:
    """Files of every folder, the problems met, the folders that were unreachable or came back empty, and (as
    `known` lets it) each folder walked."""
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


def folders_trusted(library: Library, *, now: datetime) -> bool:
    """Whether an incremental scan may skip unchanged folders: the last walk that stat'ed every file is recent."""
    hours = settings.SCAN_VERIFY_HOURS
    verified = library.files_verified_at
    return bool(hours) and verified is not None and now - verified < timedelta(hours=hours)


def folders_stored(library: Library) -> dict[str, FolderSeen]:
    """The folders as the last walk recorded them, by path."""
    columns = ("path", "device", "inode", "mtime_ns", "ctime_ns", "files", "plain")
    rows = WalkedFolder.objects.filter(library=library).values_list(*columns)
    return {row[0]: FolderSeen(*row) for row in rows.iterator(chunk_size=5000)}


def diff_within(library: Library, *, walked: Walked, stored: dict[str, FolderSeen]) -> Diff | None:
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
    if len(listed) + len(gone) <= catalogue_compare.FOLDERS_NAMED_MAX:
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
    diff.moved = apply_moves(library, diff.new, diff.missing)
    diff.missing_ids = list(diff.missing)
    return diff


def folders_record(library: Library, *, stored: dict[str, FolderSeen], walked: Walked, to_index: list[str]) -> None:
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
