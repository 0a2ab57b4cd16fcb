"""Reads of the libraries app; the only place that decides which libraries a user sees."""

from __future__ import annotations

from django.db.models import QuerySet

from apps.libraries.models import Library, LibraryScan, ScanError


def libraries_visible_to(user) -> QuerySet[Library]:
    """Managers see every library; other signed-in users the enabled ones (per-library grants come with roles)."""
    if not user or not user.is_authenticated or not user.is_active:
        return Library.objects.none()
    libraries = Library.objects.all()
    if not user.is_staff:
        libraries = libraries.filter(enabled=True)
    return libraries.prefetch_related("folders")


def scans_visible_to(user) -> QuerySet[LibraryScan]:
    """Scans are an operator's concern: managers only."""
    if not user or not user.is_authenticated or not user.is_staff:
        return LibraryScan.objects.none()
    return LibraryScan.objects.select_related("library")


def scan_errors(*, scan: LibraryScan, limit: int = 100) -> QuerySet[ScanError]:
    return scan.scan_errors.all()[:limit]
