"""The one door for library files: a path is read only when its real path lies inside the library.

Every link is resolved first; the real path must be inside the real path of one of the library's folders
or of one of the operator's allowed link targets (REVENGE_LINK_TARGETS), and never inside the data or
transcode folder. Scans, watchers, streams, subtitles, transcodes and deletions all ask here.
"""

from __future__ import annotations

import errno
import functools
import logging
import os
import stat
from collections.abc import Callable, Iterable
from typing import BinaryIO

from django.conf import settings

logger = logging.getLogger(__name__)

LEAVES = "link leaves the library folder"
# Folders whose contents are the system's own: never a library, never a link target.
SYSTEM_FOLDERS = (
    "/etc", "/proc", "/sys", "/dev", "/root", "/boot", "/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64",
    "/run", "/var/lib", "/var/log", "/var/run", "/var/spool", "/var/cache", "/var/backups",
)  # fmt: skip


def is_within(path: str, folder: str) -> bool:
    """Whether `path` is `folder` or lies under it (both already real, absolute paths)."""
    folder = folder.rstrip(os.sep) or os.sep
    return path == folder or path.startswith(folder if folder == os.sep else folder + os.sep)


def private_folders() -> dict[str, str]:
    """The server's own folders, which no library file may resolve into, by what they are called."""
    return dict(_private_folders(str(settings.DATA_DIR), str(settings.TRANSCODE_DIR)))


@functools.lru_cache(maxsize=16)
def _private_folders(data_dir: str, transcode_dir: str) -> dict[str, str]:
    # Resolved once per setting, not for each of a scan's files (two realpath calls were a tenth of its reads).
    return {"data folder": os.path.realpath(data_dir), "transcode folder": os.path.realpath(transcode_dir)}


def folder_problem(path: str, *, link_target: bool = False) -> str | None:
    """Why `path` may not be a library folder (it overlaps the data dir) or a link target (or the system's)."""
    real = os.path.realpath(path)
    role = "a link target" if link_target else "a library folder"
    for name, private in private_folders().items():
        if real == private:
            return f"{path} is the server's {name} ({private}); it cannot be {role}"
        if is_within(real, private):
            return f"{path} is inside the server's {name} ({private}); it cannot be {role}"
        if is_within(private, real):
            return f"{path} contains the server's {name} ({private}); it cannot be {role}"
    for system in SYSTEM_FOLDERS if link_target else ():
        if is_within(real, system) or is_within(system, real):
            return f"{path} is or contains the system folder {system}; it cannot be {role}"
    return None


def link_targets() -> tuple[str, ...]:
    """The operator's allowed link targets, real paths; a refused one (see the system check) is left out."""
    found = []
    for target in getattr(settings, "LINK_TARGETS", ()):
        if folder_problem(target, link_target=True) is None:
            found.append(os.path.realpath(target))
    return tuple(found)


def allowed_folders(roots: Iterable[str]) -> tuple[str, ...]:
    """The real folders files of a library with these root folders may resolve into."""
    return tuple(dict.fromkeys([*(os.path.realpath(root) for root in roots), *link_targets()]))


def resolves_inside(path: str, folders: tuple[str, ...]) -> bool:
    """Whether `path`, every link resolved, lies inside one of `folders` and outside the server's own."""
    return real_inside(os.path.realpath(path), folders)


def real_inside(real: str, folders: tuple[str, ...]) -> bool:
    """Like resolves_inside, for a path that is already real."""
    if any(is_within(real, private) for private in private_folders().values()):
        return False
    return any(is_within(real, folder) for folder in folders)


def path_contained(*, path: str, library) -> bool:
    """Whether `path` may be read as a file of `library`; a refusal is logged (clients only see a 404)."""
    return library_guard(library=library)(path)


def library_guard(*, library) -> Callable[[str], bool]:
    """path_contained for many paths of one library, its folders read once."""
    allowed = allowed_folders(library.paths)

    def contained(path: str) -> bool:
        if resolves_inside(path, allowed):
            return True
        logger.warning("refused to read %s for library %s: %s", path, library.pk, LEAVES)
        return False

    return contained


class PathRefused(FileNotFoundError):
    """A library file whose links lead out of the library: answered like a missing file (clients learn nothing)."""


def open_contained(*, path: str, library) -> BinaryIO:
    """Open a library file for reading, then check where the opened file really is (a link swapped in
    between a check and the open cannot slip through); raises PathRefused when it is outside."""
    allowed = allowed_folders(library.paths)
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)  # O_NONBLOCK: a FIFO must not hang us
    fd = os.open(path, flags)
    try:
        real = _opened_path(fd, path)
        if not stat.S_ISREG(os.fstat(fd).st_mode) or not real_inside(real, allowed):
            logger.warning("refused to read %s (really %s) for library %s: %s", path, real, library.pk, LEAVES)
            raise PathRefused(errno.ENOENT, "no such file", path)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def _opened_path(fd: int, path: str) -> str:
    try:
        return os.readlink(f"/proc/self/fd/{fd}")
    except OSError:
        return os.path.realpath(path)  # no /proc (not Linux): the path as it resolves now
