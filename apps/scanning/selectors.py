"""Reads of the scanning app: the scans a user may see, and whether a watcher still answers."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import QuerySet
from django.utils import timezone

from apps.libraries.models import LibraryScan, WatcherStatus
from apps.libraries.selectors import libraries_visible_to


def scans_visible_to(*, user) -> QuerySet[LibraryScan]:
    """Scans of the libraries the user may scan."""
    scannable = libraries_visible_to(user=user, perm="libraries.scan_library")
    return LibraryScan.objects.filter(library__in=scannable).select_related("library")


WATCHER_SILENT_AFTER = timedelta(seconds=30)  # six missed heartbeats of a watcher writing every 5 s


def watcher_alive(*, status: WatcherStatus, now=None) -> bool:
    """Whether the watcher that wrote `status` is still writing it."""
    return (now or timezone.now()) - status.heartbeat_at <= WATCHER_SILENT_AFTER
