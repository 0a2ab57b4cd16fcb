"""Writes of the playback app: starting, ending and terminating playback sessions."""

from __future__ import annotations

import shutil
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from apps.core import events
from apps.playback.models import PlaybackSession


def session_dir(session: PlaybackSession) -> Path:
    """Where the session's HLS playlists and segments are written."""
    return Path(settings.TRANSCODE_DIR) / str(session.pk)


def session_event(name: str, session: PlaybackSession, **extra) -> None:
    events.emit(
        name,
        user_id=session.user_id,
        username=session.user.get_username(),
        item_kind=session.item_kind,
        item_id=session.movie_id or session.episode_id or session.media_file_id,
        title=session.title,
        device=session.device or session.client,
        **extra,
    )


@transaction.atomic
def session_end(*, session: PlaybackSession, reason: str = "stopped", message: str = "") -> PlaybackSession:
    """Stop the session and its transcode, remove its files; ending an ended session changes nothing."""
    session = PlaybackSession.objects.select_for_update().select_related("user").get(pk=session.pk)
    if session.state == PlaybackSession.State.STOPPED:
        return session
    session.state = PlaybackSession.State.STOPPED
    session.stopped_at = timezone.now()
    session.stop_reason, session.message = reason, message[:500]
    if session.transcode_state in (PlaybackSession.TranscodeState.QUEUED, PlaybackSession.TranscodeState.RUNNING):
        session.transcode_state = PlaybackSession.TranscodeState.STOPPED
    session.save()
    folder = session_dir(session)
    transaction.on_commit(lambda: shutil.rmtree(folder, ignore_errors=True))
    session_event("playback.stopped", session)
    return session
