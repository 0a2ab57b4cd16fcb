"""Reads of a viewer's playback defaults."""

from __future__ import annotations

from apps.playback.models import PlaybackPreference


def playback_preference_of(*, user) -> PlaybackPreference:
    """The saved defaults, or the defaults (unsaved) for someone who never changed them."""
    found = PlaybackPreference.objects.filter(user=user).first()
    return found or PlaybackPreference(user=user)
