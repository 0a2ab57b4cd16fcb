"""Celery tasks for images: thin wrappers over the fetch services."""

from __future__ import annotations

from celery import shared_task

from apps.libraries.models import Library
from apps.metadata.images import fetch
from apps.metadata.tmdb.client import tmdb_enabled

PER_RUN = 500
RETRY_SECONDS = 600  # the provider was unavailable: ask again later, not in a tight loop


@shared_task(name="metadata.images_fetch", acks_late=True)
def images_fetch(library_id: int | None = None) -> dict:
    """Fetch, check and size the pending artwork of a library (or of all); runs again while work is left."""
    library = None
    if library_id is not None:
        library = Library.objects.filter(pk=library_id).first()
        if library is None:
            return {}
    counts = fetch.artworks_fetch(library=library, limit=PER_RUN)
    if counts.stored + counts.refused + counts.pending >= PER_RUN:
        images_fetch.delay(library_id)
    elif counts.pending and tmdb_enabled():
        images_fetch.apply_async((library_id,), countdown=RETRY_SECONDS)
    return vars(counts)
