"""Plays for the history tests: what the history keeps of a play whose item was removed since (its title)."""

from __future__ import annotations

from apps.playback.models import PlaybackSession


def play_record(user, title: str, **fields) -> PlaybackSession:
    fields = {"method": "direct", "state": "stopped", "position": 3000.0, "duration": 6000.0, **fields}
    return PlaybackSession.objects.create(user=user, title=title, client="Firefox 128 on Linux", **fields)
