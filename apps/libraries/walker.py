"""Walk library folders with os.scandir: video files with their stat, and a reason for each one skipped."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass

from apps.libraries.containment import LEAVES, allowed_folders, resolves_inside
from apps.libraries.sidecars import classify, is_ignored

# Longest path the catalogue stores (MediaFile.path); Linux allows 4096.
MAX_PATH_LENGTH = 2000


@dataclass(frozen=True, slots=True)
class FileStat:
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


def stat_file(path: str, *, allowed: tuple[str, ...]) -> FileStat | Skipped:
    """Stat one candidate video file, following symlinks; anything but a regular file, or a file whose
    links lead out of the `allowed` folders (containment.allowed_folders), is skipped."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return Skipped(path, "file disappeared or is a broken symbolic link")
    except OSError as exc:
        return Skipped(path, f"cannot read file information: {exc.strerror}")
    if not resolves_inside(path, allowed):
        return Skipped(path, LEAVES)
    if not stat.S_ISREG(st.st_mode):
        return Skipped(path, "not a regular file")
    return FileStat(path, st.st_size, st.st_mtime_ns, st.st_dev, st.st_ino)


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
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            with os.scandir(folder) as entries:
                listing = sorted(entries, key=lambda e: e.name)
        except OSError as exc:
            yield Skipped(folder, f"cannot list folder: {exc.strerror}")
            continue
        subfolders = []
        for entry in listing:
            if is_ignored(entry.name):
                continue
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            if is_dir:
                try:
                    st = entry.stat()
                except OSError as exc:
                    yield Skipped(entry.path, f"cannot enter folder: {exc.strerror}")
                    continue
                key = (st.st_dev, st.st_ino)
                if not resolves_inside(entry.path, allowed):
                    yield Skipped(entry.path, LEAVES)
                    continue
                if key in visited:
                    yield Skipped(entry.path, "symbolic link loop: folder already visited")
                    continue
                visited.add(key)
                subfolders.append(entry.path)
                continue
            if classify(entry.name) != "video":
                continue
            if not is_utf8(entry.name):
                yield Skipped(entry.path, "file name is not valid UTF-8; rename the file")
                continue
            if len(entry.path) > MAX_PATH_LENGTH:
                yield Skipped(entry.path, f"path is longer than {MAX_PATH_LENGTH} characters")
                continue
            yield stat_file(entry.path, allowed=allowed)
        stack.extend(reversed(subfolders))
