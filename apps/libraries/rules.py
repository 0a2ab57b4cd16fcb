"""Who may do what to a library: its set-up (folders, kind, creation) versus managing what is in it.

A per-library `manage_library` grant covers scans, metadata, grants and duplicates of the files that are
really in that library; where files live (folders, kind) is for the global permission only, else a manager
could point their library at another library's folder, or at the data dir, and hand it out.
"""

from __future__ import annotations

import os

from apps.libraries.containment import is_within, path_contained
from apps.libraries.models import Library

CREATE = "libraries.add_library"
CHANGE = "libraries.change_library"  # held through the role: admins by default
MANAGE = "libraries.manage_library"  # granted per library (django-guardian)


def _signed_in(actor) -> bool:
    return bool(actor and actor.is_authenticated and actor.is_active)


def may_create_library(*, actor) -> bool:
    return actor is None or (_signed_in(actor) and actor.has_perm(CREATE))


def may_change_library_setup(*, actor) -> bool:
    """Folders and kind: the global permission, never the per-library grant."""
    return actor is None or (_signed_in(actor) and actor.has_perm(CHANGE))


def may_manage_library(*, actor, library: Library) -> bool:
    """Scan, edit, grant, resolve duplicates: the global permission or a manage grant on this library."""
    if actor is None:
        return True
    return _signed_in(actor) and (actor.has_perm(CHANGE) or actor.has_perm(MANAGE, library))


def path_inside_folders(path: str, folders: list[str]) -> bool:
    """Whether `path`, every link resolved, lies strictly inside one of `folders` (no link targets)."""
    real = os.path.realpath(path)
    return any(real != root and is_within(real, root) for root in map(os.path.realpath, folders))


def file_in_library(*, path: str, library: Library) -> bool:
    """Whether the file at `path` is really the library's: the containment check of every read."""
    return path_contained(path=path, library=library)


def may_manage_library_files(*, actor, library: Library) -> bool:
    return may_manage_library(actor=actor, library=library)


def may_manage_file(*, actor, file) -> bool:
    """A file of a library the actor manages, really inside that library's folders, and in no folder of a
    library they do not manage (folders may overlap, or a link may lead into another library)."""
    library = file.library
    if not may_manage_library_files(actor=actor, library=library):
        return False
    if not file_in_library(path=file.path, library=library):
        return False
    if actor is None or actor.has_perm(CHANGE):
        return True
    # Strictly the other libraries' folders: a link target allowed to every library makes no file theirs.
    for other in Library.objects.exclude(pk=library.pk).prefetch_related("folders"):
        if path_inside_folders(file.path, other.paths) and not may_manage_library(actor=actor, library=other):
            return False
    return True
