"""Writes of the libraries app: libraries, their folders and grants."""

from __future__ import annotations

import os
from collections.abc import Iterable

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from guardian.shortcuts import assign_perm

from apps.libraries import rules
from apps.libraries.containment import folder_problem
from apps.libraries.grants import DEFAULT_GRANTS, GRANT_PERMISSIONS, library_grants, library_grants_set  # noqa: F401
from apps.libraries.models import Library, LibraryFolder


def library_folders_clean(paths: Iterable[str]) -> list[str]:
    """Absolute, normalised, existing folders apart from the data dir; a ValidationError names each bad one."""
    cleaned, problems = [], []
    for raw in paths:
        path = str(raw).strip()
        if not path:
            continue
        if "\x00" in path or not os.path.isabs(path):
            problems.append(f"{path!r} is not an absolute path")
            continue
        path = os.path.normpath(path)
        if not os.path.isdir(path):
            problems.append(f"{path} is not an existing folder")
            continue
        if overlap := folder_problem(path):
            problems.append(overlap)
            continue
        if path not in cleaned:
            cleaned.append(path)
    if problems:
        raise ValidationError({"paths": problems})
    if not cleaned:
        raise ValidationError({"paths": ["a library needs at least one folder"]})
    return cleaned


def library_create(
    *,
    name: str,
    kind: str,
    paths: Iterable[str],
    enabled: bool = True,
    realtime_monitoring: bool = True,
    scan_interval_minutes: int = 360,
    by=None,
) -> Library:
    """Create a library with its folders and the default grants; `by` needs the global add permission."""
    if not rules.may_create_library(actor=by):
        raise PermissionDenied("creating a library needs the permission to add libraries")
    folders = library_folders_clean(paths)
    library = Library(
        name=name.strip(),
        kind=kind,
        enabled=enabled,
        realtime_monitoring=realtime_monitoring,
        scan_interval_minutes=scan_interval_minutes,
    )
    library.full_clean()
    with transaction.atomic():
        library.save()
        for path in folders:  # one by one, so that the activity log records each root
            LibraryFolder.objects.create(library=library, path=path)
        for role_name, perms in DEFAULT_GRANTS.items():
            group = Group.objects.filter(name=role_name).first()
            for perm in perms if group else ():
                assign_perm(f"libraries.{perm}", group, library)
    return library


def _folders_named(paths: Iterable[str]) -> set[str]:
    return {os.path.normpath(str(p).strip()) for p in paths if str(p).strip()}


def library_change_check(*, library: Library, by, kind: str | None = None, paths: Iterable[str] | None = None) -> None:
    """Refuse what may not change: folders without the global permission; the kind, ever (the catalogue
    would be emptied and read again as another kind: create another library instead)."""
    new_kind = kind is not None and kind != library.kind
    new_folders = paths is not None and _folders_named(paths) != set(library.paths)
    if (new_kind or new_folders) and not rules.may_change_library_setup(actor=by):
        raise PermissionDenied("changing a library's folders or kind needs the permission to change libraries")
    if new_kind:
        raise ValidationError({"kind": ["the kind of a library cannot change; create another"]})


def library_update(*, library: Library, paths: Iterable[str] | None = None, by=None, **fields) -> Library:
    """Change a library's settings and, when given, replace its folders (see library_change_check)."""
    paths = list(paths) if paths is not None else None
    library_change_check(library=library, by=by, kind=fields.get("kind"), paths=paths)
    for name, value in fields.items():
        setattr(library, name, value)
    library.full_clean()
    with transaction.atomic():
        library.save()
        if paths is not None:
            folders = library_folders_clean(paths)
            library.folders.exclude(path__in=folders).delete()
            existing = set(library.folders.values_list("path", flat=True))
            for path in folders:
                if path not in existing:
                    LibraryFolder.objects.create(library=library, path=path)
    return library


def library_delete(*, library: Library, by=None) -> None:
    """Forget a library: its folders, grants and catalogue rows go; the files on disk stay."""
    with transaction.atomic():
        library.delete()
