"""Keep cached watching rows true: any change to a user's progress makes their continue watching and next up stale."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from apps.core import caching
from apps.playback.models import WatchState


@receiver(post_save, sender=WatchState, dispatch_uid="revenge-watch-state-saved")
@receiver(post_delete, sender=WatchState, dispatch_uid="revenge-watch-state-deleted")
def watch_state_changed(sender, instance: WatchState, **kwargs) -> None:
    # A heartbeat saves the row in a transaction that may still be open: bump again once it commits.
    caching.bump_with_commit(caching.watching(instance.user_id))
