"""The server's folders as the library form's picker shows them: folders only (never files), every link
resolved, nothing inside the system's or the server's own folders; a hostile path is refused with a reason."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from django.conf import settings

from apps.libraries.containment import SYSTEM_FOLDERS, is_within, private_folders

ENTRIES_SHOWN = 500
PATH_LIMIT = 4096


@dataclass(frozen=True)
class FolderListing:
    """One folder's sub-folders (name, real path); `problem` says why it cannot be shown."""

    path: str
    parent: str | None = None
    folders: list[tuple[str, str]] = field(default_factory=list)
    problem: str = ""
    more: bool = False


def browse_roots() -> list[str]:
    """Where browsing starts: REVENGE_LINK_TARGETS when the operator set them, else the whole machine (/)."""
    configured = [os.path.realpath(target) for target in getattr(settings, "LINK_TARGETS", ())]
    return configured or [os.sep]


def _refused(real: str) -> str:
    for system in SYSTEM_FOLDERS:
        if is_within(real, system):
            return f"{real} is inside the system folder {system}"
    for name, private in private_folders().items():
        if is_within(real, private):
            return f"{real} is inside the server's {name}"
    roots = browse_roots()
    if not any(is_within(real, root) for root in roots):
        return f"{real} is outside the folders that may be browsed ({', '.join(roots)})"
    return ""


def folder_listing(*, path: str | None) -> FolderListing:
    """The sub-folders of `path` (the first root when empty), links resolved and checked like the path itself."""
    raw = (path or "").strip() or browse_roots()[0]
    if len(raw) > PATH_LIMIT or "\x00" in raw or not os.path.isabs(raw):
        return FolderListing(path=raw[:200], problem="give an absolute path, such as /srv/media")
    real = os.path.realpath(raw)
    problem = _refused(real)
    if problem:
        return FolderListing(path=raw, problem=problem)
    if not os.path.isdir(real):
        return FolderListing(path=raw, problem=f"{raw} is not an existing folder")
    folders: list[tuple[str, str]] = []
    more = False
    try:
        with os.scandir(real) as entries:
            for entry in sorted(entries, key=lambda e: e.name.lower()):
                if entry.name.startswith(".") or not entry.is_dir(follow_symlinks=True):
                    continue
                target = os.path.realpath(entry.path)
                if _refused(target):
                    continue  # a link out of the browsable folders, or into the system's: not offered
                if len(folders) >= ENTRIES_SHOWN:
                    more = True
                    break
                folders.append((entry.name, target))
    except PermissionError:
        return FolderListing(path=real, problem=f"the server may not read {real}")
    except OSError as exc:
        return FolderListing(path=real, problem=f"{real} cannot be read ({exc.strerror or exc})")
    parent = os.path.dirname(real) if real != os.sep else None
    if parent is not None and _refused(parent):
        parent = None
    return FolderListing(path=real, parent=parent, folders=folders, more=more)
