"""The home rows (continue watching, next up) as cached, serialized items; warmed on the worker after a scan."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Max
from django.utils import timezone

from apps.accounts.models import User
from apps.core import caching
from apps.libraries.selectors import library_ids_visible_to
from apps.media.library_reads import library_stats, recently_added
from apps.playback import watch_selectors
from apps.playback.api.watch_serializers import NextUpSerializer, WatchStateSerializer
from apps.playback.models import WatchState

ROW_SECONDS = 300
ROWS = {
    "continue-watching": (watch_selectors.watch_states_in_progress, WatchStateSerializer),
    "next-up": (watch_selectors.episodes_next_up, NextUpSerializer),
}
WARM_ACTIVE_DAYS = 30
WARM_USERS = 200  # the most recently active; the rest compute their rows on their next visit


def row_items(*, name: str, user: User) -> list[dict]:
    """The serialized items of the user's row `name` ("continue-watching" or "next-up"), from the cache."""
    selector, serializer = ROWS[name]
    return caching.cached(
        name,
        user.pk,
        lambda: [dict(item) for item in serializer(selector(user=user), many=True).data],
        ttl=ROW_SECONDS,
        scopes=watch_selectors.watching_scopes(user=user),
    )


def rows_warm(*, library_id: int) -> int:
    """Compute the home rows of recently active users who see the library, and its recently added and figures for
    them, so their next visit after a scan is served from the cache.

    Returns how many users' rows were warmed.
    """
    since = timezone.now() - timedelta(days=WARM_ACTIVE_DAYS)
    active = (
        WatchState.objects.filter(last_played_at__gte=since, user__is_active=True)
        .values("user")
        .annotate(last=Max("last_played_at"))
        .order_by("-last")
        .values_list("user", flat=True)[:WARM_USERS]
    )
    warmed = 0
    for user in User.objects.filter(pk__in=list(active)):
        if library_id not in library_ids_visible_to(user=user):
            continue
        for name in ROWS:
            row_items(name=name, user=user)
        # The library's first page and figures too; users of one visibility class share these entries.
        recently_added(user=user, library_id=library_id)
        library_stats(user=user, library_id=library_id)
        warmed += 1
    return warmed
