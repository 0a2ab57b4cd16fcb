"""Walk library folders with os.scandir: video files with their stat, and a reason for each one skipped."""

from __future__ import annotations

import os
import stat
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


def _enter(entry: os.DirEntry, real: str, allowed: tuple[str, ...], visited: set) -> Skipped | None:
    """None when the walk may go into this folder, else why not."""
    try:
        st = entry.stat()
    except OSError as exc:
        return Skipped(entry.path, f"cannot enter folder: {exc.strerror}")
    if not real_inside(real, allowed):
        return Skipped(entry.path, LEAVES)
    if (st.st_dev, st.st_ino) in visited:
        return Skipped(entry.path, "symbolic link loop: folder already visited")
    visited.add((st.st_dev, st.st_ino))
    return None


def walk(root: str, *, allowed: tuple[str, ...] | None = None) -> Iterator[FileStat | Skipped]:
    """Every video file under `root`, depth first; hidden and system folders skipped, symlink loops reported.

    Files and folders whose links lead out of `allowed` (by default: `root` and the link targets) are skipped.
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
    stack = [(root, real_root)]
    while stack:
        folder, real_folder = stack.pop()
        try:
            with os.scandir(folder) as entries:
                listing = sorted(entries, key=lambda e: e.name)
        except OSError as exc:
            yield Skipped(folder, f"cannot list folder: {exc.strerror}")
            continue
        subfolders = []
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
                real = _real_path(entry, real_folder)
                refused = _enter(entry, real, allowed, visited)
                if refused is not None:
                    yield refused
                else:
                    subfolders.append((entry.path, real))
                continue
            # Not a video, or ignored: skipped alike, so the cheaper test comes first for files.
            if not _is_video(name) or is_ignored(name):
                continue
            path = entry.path
            if not (name.isascii() or is_utf8(name)):
                yield Skipped(path, "file name is not valid UTF-8; rename the file")
                continue
            if len(path) > MAX_PATH_LENGTH:
                yield Skipped(path, f"path is longer than {MAX_PATH_LENGTH} characters")
                continue
            if root_inside and not _is_link(entry):
                try:
                    st = os_stat(path)
                except OSError:
                    yield stat_file(path, allowed=allowed, contained=True)  # which says why
                else:
                    yield _found(path, st)
            else:
                yield stat_file(path, allowed=allowed, real=_real_path(entry, real_folder))
        stack.extend(reversed(subfolders))
