"""How a walk's files compare with the catalogue's rows: what to index, what is gone, what moved (keeping ids)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Q

from apps.libraries.models import Library
from apps.media.models import MediaFile
from apps.scanning.fingerprint import file_fingerprint
from apps.scanning.walker import FileStat

# Past this many folders or paths to compare, one pass over all of the library's rows costs less than a query
# naming each (and SQLite refuses a query of a thousand: "Expression tree is too large").
FOLDERS_NAMED_MAX = 100

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
    (by `apply_moves`, later, with the diff's `new` and `missing`).
    """
    files = MediaFile.objects.filter(library=library)
    if rows_within is not None:
        files = files.filter(rows_within)
    # The rows stream past the files found (by position in `stats`, walk order kept) instead of all being held
    # in a dict beside them: half the memory of a rescan, which is one FileStat per file now.
    # Each path once: a walk of overlapping folders keeps a file once (library_walk), a watcher batch too.
    position: dict[str, int] = {found.path: i for i, found in enumerate(stats)}
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
        else:  # the rescan's common case, a tenth of a microsecond each counts
            found = stats[where]
            same = row[2] == found[1] and row[3] == found[2] and row[5] == found[4]  # size, mtime_ns, inode
            status[where] = UNCHANGED if same and (plain or not (full or found.path in forced)) else CHANGED
    del position
    new = [found for found, state in zip(stats, status, strict=True) if state == NEW] if NEW in status else []
    to_index = (
        [found.path for found, state in zip(stats, status, strict=True) if state == CHANGED]
        if CHANGED in status
        else []
    )
    unchanged = status.count(UNCHANGED)
    moved = apply_moves(library, new, missing) if moves else 0
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


def apply_moves(library: Library, new: list[FileStat], missing: dict[int, tuple]) -> int:
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
