"""Reads of the metadata app: which items are due for a lookup, and which wait for an operator to identify them."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q, QuerySet

from apps.libraries.models import Library
from apps.media.models import MetadataStatus, Movie, Show
from apps.media.selectors import movies_visible_to, shows_visible_to


def due(*, now: datetime) -> Q:
    """Never looked up, failed and past its retry time, or last looked up more than METADATA_REFRESH_DAYS ago."""
    stale = now - timedelta(days=settings.METADATA_REFRESH_DAYS)
    return (
        Q(metadata_status=MetadataStatus.PENDING)
        | Q(metadata_status=MetadataStatus.FAILED, metadata_retry_at__isnull=True)
        | Q(metadata_status=MetadataStatus.FAILED, metadata_retry_at__lte=now)
        | Q(metadata_status__in=[MetadataStatus.MATCHED, MetadataStatus.UNMATCHED], metadata_refreshed_at__isnull=True)
        | Q(metadata_status__in=[MetadataStatus.MATCHED, MetadataStatus.UNMATCHED], metadata_refreshed_at__lt=stale)
    )


def items_for_refresh(
    *, model: type[Movie] | type[Show], library: Library | None = None, now: datetime | None = None
) -> QuerySet:
    """The model's items in enabled libraries (or in `library`), only those due when `now` is given."""
    items = (
        model.objects.filter(library=library) if library is not None else model.objects.filter(library__enabled=True)
    )
    if now is not None:
        items = items.filter(due(now=now))
    return items.order_by("pk")


def items_unmatched(*, user) -> dict[str, QuerySet]:
    """Movies and shows `user` may see that TMDb could not match with confidence: the operator's Identify list."""
    wanted = Q(metadata_status=MetadataStatus.UNMATCHED)
    return {
        "movies": movies_visible_to(user=user).filter(wanted).order_by("sort_title", "pk"),
        "shows": shows_visible_to(user=user).filter(wanted).order_by("sort_title", "pk"),
    }
