"""Celery tasks of the media app: thin wrappers over services."""

from __future__ import annotations

from celery import shared_task

from apps.libraries.models import Library
from apps.media.duplicates import detection


@shared_task(name="media.duplicates_refresh", acks_late=True, console_retry=True)
def duplicates_refresh(library_id: int) -> dict:
    """Hash what changed in the library and rebuild its duplicate groups; runs again while work is left."""
    library = Library.objects.filter(pk=library_id).first()
    if library is None:
        return {}
    result = detection.duplicates_refresh(library=library)
    if result.pending:
        duplicates_refresh.delay(library_id)
    return {"hashed": result.hashed, "failed": result.failed, "pending": result.pending, "groups": result.groups}


@shared_task(name="media.duplicates_refresh_all")
def duplicates_refresh_all() -> list[int]:
    """The periodic safety net: a refresh of every enabled library (cheap when nothing changed)."""
    ids = list(Library.objects.filter(enabled=True).values_list("pk", flat=True))
    for library_id in ids:
        duplicates_refresh.delay(library_id)
    return ids
