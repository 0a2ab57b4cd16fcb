"""Celery tasks of the metadata app: thin wrappers over services, queued by name through core.dispatch."""

from __future__ import annotations

from celery import shared_task

from apps.libraries.models import Library
from apps.metadata import services

# The image tasks live beside the image code; importing them here registers them wherever the metadata app's
# tasks are looked up (the workers' discovery, core.dispatch by name), not in every process at start-up.
from apps.metadata.images import tasks as images_tasks  # noqa: F401


@shared_task(name="metadata.refresh", acks_late=True, console_retry=True)
def metadata_refresh(
    library_id: int | None = None,
    movie_ids: list[int] | None = None,
    show_ids: list[int] | None = None,
    force: bool = False,
) -> dict:
    """Refresh these items, or the due items of a library (after its scans); an item done twice is harmless."""
    if movie_ids or show_ids:
        counts = services.metadata_refresh(movies=movie_ids or [], shows=show_ids or [])
    else:
        library = Library.objects.filter(pk=library_id, enabled=True).first() if library_id else None
        if library_id and library is None:
            return {}
        counts = services.metadata_refresh(library=library, force=force)
    return {"matched": counts.matched, "unmatched": counts.unmatched, "failed": counts.failed, "off": counts.off}


@shared_task(name="metadata.refresh_due", acks_late=True)
def metadata_refresh_due() -> dict:
    """The periodic pass: new items, failures whose retry time came, and metadata older than METADATA_REFRESH_DAYS."""
    return metadata_refresh()
