"""Walk library folders with os.scandir: video files with their stat, and a reason for each one skipped."""

from __future__ import annotations

import os
import stat
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import NamedTuple

from apps.libraries.containment import LEAVES, allowed_folders, real_inside
from apps.scanning.sidecars import VIDEO_EXTENSIONS, is_ignored

# Longest path the catalogue stores (MediaFile.path); Linux allows 4096.
MAX_PATH_LENGTH = 2000
os_stat = os.stat  # one global lookup per file in the walk, not a module attribute lookup too


class FileStat(NamedTuple):
    """A tuple, not a dataclass: a rescan makes one per file, and a frozen dataclass took three times as long."""

    path: str
    size: int
    mtime_ns: int
    device: int
    inode: int


class FolderSeen(NamedTuple):
    """A folder of the walk as found: its identity and times, how many video files are directly in it, whether
    it is plain (no links, nothing skipped, settled) and whether it was listed this time."""

    path: str
    device: int
    inode: int
    mtime_ns: int
    ctime_ns: int
    files: int
    plain: bool
    listed: bool = True


class KnownFolders:
    """The folders a previous walk saw (FolderSeen by path), and each one's subfolders among them."""

    def __init__(self, folders: dict[str, FolderSeen]) -> None:
        self.folders = folders
        self.children: dict[str, list[tuple[str, str]]] = {}  # (path, name), by name
        for path in sorted(folders):
            parent, name = os.path.split(path)
            self.children.setdefault(parent, []).append((path, name))


# A folder changed this recently may change again within its time stamp's granularity (2 s on FAT, coarser on some
# network mounts) with its times unmoved: it is not skipped on the next walk, which lists it and settles it.
SETTLED_NS = 5_000_000_000


def _unchanged(known: FolderSeen | None, st: os.stat_result) -> bool:
    """Adding, removing or renaming an entry moves a folder's modification and change times: the same plain folder
    with the same times holds the same entries (a file rewritten in place moves neither; see walk)."""
    return (
        known is not None
        and known.plain
        and known.mtime_ns == st.st_mtime_ns
        and known.ctime_ns == st.st_ctime_ns
        and known.inode == st.st_ino
        and known.device == st.st_dev
    )


@dataclass(frozen=True, slots=True)
class Skipped:
    path: str
    reason: str


def printable(path: str) -> str:
    """The path as text that can be stored and shown, even when it is not valid UTF-8."""
    return os.fsencode(path).decode("utf-8", "replace")


def is_utf8(name: str) -> bool:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def stat_file(
    path: str, *, allowed: tuple[str, ...], real: str | None = None, contained: bool = False
) -> FileStat | Skipped:
    """Stat one candidate video file, following symlinks; anything but a regular file, or a file whose links
    lead out of the `allowed` folders (containment.allowed_folders), is skipped. `real`: its known real path;
    `contained`: the caller knows that real path is inside (a plain file in a folder found inside)."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return Skipped(path, "file disappeared or is a broken symbolic link")
    except OSError as exc:
        return Skipped(path, f"cannot read file information: {exc.strerror}")
    if not contained and not real_inside(real or os.path.realpath(path), allowed):
        return Skipped(path, LEAVES)
    return _found(path, st)


def _found(path: str, st: os.stat_result) -> FileStat | Skipped:
    if not stat.S_ISREG(st.st_mode):
        return Skipped(path, "not a regular file")
    # tuple.__new__ rather than FileStat(...): the named tuple's own __new__ is Python code, run once per file.
    return _new_tuple(FileStat, (path, st.st_size, st.st_mtime_ns, st.st_dev, st.st_ino))


_new_tuple = tuple.__new__
_NO_STAT = os.stat_result((0,) * 10)  # matches no folder: what cannot be stat'ed is listed


def _is_video(name: str) -> bool:
    """classify(name) == "video", without os.path.splitext's generality (a name has no separator)."""
    dot = name.rfind(".")
    # splitext: no extension when the only dots lead the name
    return dot > 0 and name[dot:].lower() in VIDEO_EXTENSIONS and bool(name[:dot].lstrip("."))


def _is_link(entry: os.DirEntry) -> bool:
    try:
        return entry.is_symlink()
    except OSError:
        return True


def _real_path(entry: os.DirEntry, real_folder: str) -> str:
    # Only links need resolving: anything else in a folder whose real path is known is that path plus its name.
    return os.path.realpath(entry.path) if _is_link(entry) else os.path.join(real_folder, entry.name)


def _enter(entry: os.DirEntry, real: str, allowed: tuple[str, ...], visited: set) -> Skipped | os.stat_result:
    """The folder's stat when the walk may go into it, else why not."""
    try:
        st = entry.stat()
    except OSError as exc:
        return Skipped(entry.path, f"cannot enter folder: {exc.strerror}")
    if not real_inside(real, allowed):
        return Skipped(entry.path, LEAVES)
    if (st.st_dev, st.st_ino) in visited:
        return Skipped(entry.path, "symbolic link loop: folder already visited")
    visited.add((st.st_dev, st.st_ino))
    return st


def walk(
    root: str, *, allowed: tuple[str, ...] | None = None, known: KnownFolders | None = None
) -> Iterator[FileStat | Skipped | FolderSeen]:
    """Every video file under `root`, depth first; hidden and system folders skipped, symlink loops reported.

    Files and folders whose links lead out of `allowed` (by default: `root` and the link targets) are skipped.
    With `known` (what an earlier walk saw), a FolderSeen follows each folder's files, and a plain folder whose
    times have not moved is not listed: its FolderSeen says so (listed=False) and its files are not stat'ed,
    so a file rewritten in place there is not seen (the watcher sees it; a full scan passes an empty `known`).
    """
    allowed = allowed_folders([root]) if allowed is None else allowed
    try:
        root_stat = os.stat(root)
    except OSError as exc:
        yield Skipped(root, f"library folder is not reachable: {exc.strerror}")
        return
    visited = {(root_stat.st_dev, root_stat.st_ino)}
    real_root = os.path.realpath(root)
    # Every folder on the stack is inside (the root when it is, the others were checked on the way in), so a
    # file in one that is no link is inside too: one check per folder, not one realpath and check per file.
    root_inside = real_inside(real_root, allowed)
    settled_before = time.time_ns() - SETTLED_NS
    stack = [(root, real_root, root_stat)]
    while stack:
        folder, real_folder, folder_stat = stack.pop()
        if known is not None and root_inside and _unchanged(stored := known.folders.get(folder), folder_stat):
            # An unchanged rescan passes here once per folder (10,000 for 100,000 files): few calls each.
            yield _new_tuple(FolderSeen, (*stored[:7], False))
            for path, name in reversed(known.children.get(folder, ())):
                # Its entries are those it had, none of them a link (it is plain).
                try:
                    st = os_stat(path)
                except OSError:
                    st = _NO_STAT  # not the entries it had after all (times set back?): it is listed, and says why
                if st.st_ino and (st.st_dev, st.st_ino) in visited:
                    continue
                visited.add((st.st_dev, st.st_ino))
                stack.append((path, os.path.join(real_folder, name), st))
            continue
        try:
            with os.scandir(folder) as entries:
                listing = sorted(entries, key=lambda e: e.name)
        except OSError as exc:
            yield Skipped(folder, f"cannot list folder: {exc.strerror}")
            if known is not None:  # kept, so that a walk that skips its parent still comes here
                yield _seen(folder, folder_stat, files=0, plain=False)
            continue
        subfolders = []
        files = 0
        plain = root_inside
        # The loop runs once per file of the library (100,000 on an unchanged rescan, where the walk is most of
        # the time): the common case (a plain video file in a folder inside) takes the fewest calls.
        for entry in listing:
            name = entry.name
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            if is_dir:
                if is_ignored(name):
                    continue
                if len(entry.path) > MAX_PATH_LENGTH or not (name.isascii() or is_utf8(name)):
                    plain = False  # a folder that cannot be stored is reached by listing this one each time
                link = _is_link(entry)
                real = os.path.realpath(entry.path) if link else os.path.join(real_folder, name)
                entered = _enter(entry, real, allowed, visited)
                if type(entered) is Skipped:
                    plain = False
                    yield entered
                else:
                    plain = plain and not link
                    subfolders.append((entry.path, real, entered))
                continue
            # Not a video, or ignored: skipped alike, so the cheaper test comes first for files.
            if not _is_video(name) or is_ignored(name):
                continue
            path = entry.path
            if not (name.isascii() or is_utf8(name)):
                plain = False
                yield Skipped(path, "file name is not valid UTF-8; rename the file")
                continue
            if len(path) > MAX_PATH_LENGTH:
                plain = False
                yield Skipped(path, f"path is longer than {MAX_PATH_LENGTH} characters")
                continue
            if root_inside and not _is_link(entry):
                try:
                    st = os_stat(path)
                except OSError:
                    found = stat_file(path, allowed=allowed, contained=True)  # which says why
                else:
                    found = _found(path, st)
            else:
                plain = False
                found = stat_file(path, allowed=allowed, real=_real_path(entry, real_folder))
            if type(found) is FileStat:
                files += 1
            else:
                plain = False
            yield found
        if known is not None:
            settled = folder_stat.st_mtime_ns < settled_before and folder_stat.st_ctime_ns < settled_before
            yield _seen(folder, folder_stat, files=files, plain=plain and settled)
        stack.extend(reversed(subfolders))


def _seen(folder: str, st: os.stat_result, *, files: int, plain: bool) -> FolderSeen:
    return FolderSeen(folder, st.st_dev, st.st_ino, st.st_mtime_ns, st.st_ctime_ns, files, plain)
