"""System checks for file containment: allowed link targets and the folders of existing libraries."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks
from django.db import DatabaseError

from apps.core.checks import TAG
from apps.libraries.containment import folder_problem
from apps.libraries.models import LibraryFolder


@checks.register(TAG)
def link_targets_check(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """REVENGE_LINK_TARGETS may not name the data or transcode folder, nor a system folder."""
    return [
        checks.Error(f"REVENGE_LINK_TARGETS: {problem}.", id="revenge.E142")
        for target in settings.LINK_TARGETS
        if (problem := folder_problem(target, link_target=True))
    ]


@checks.register(TAG)
def library_folders_check(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """A library folder saved before this rule may still overlap the data folder: say so at start."""
    try:
        rows = list(LibraryFolder.objects.select_related("library").order_by("pk"))
    except DatabaseError:
        return []  # not migrated yet: nothing to check
    return [
        checks.Error(f"library {row.library.name!r}: {problem}; change its folders.", id="revenge.E143")
        for row in rows
        if (problem := folder_problem(row.path))
    ]
