"""Writes of the playback app: starting, ending and terminating playback sessions."""

from __future__ import annotations

import logging
import shutil
import uuid
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from apps.accounts.devices import device_label
from apps.accounts.models import User
from apps.accounts.selectors import effective_settings
from apps.core import events
from apps.media.models import MediaFile
from apps.playback.hls import encoders, transcoding
from apps.playback.hls.transcoding import session_dir
from apps.playback.models import PlaybackSession
from apps.playback.plan import Capabilities, plan_decide

logger = logging.getLogger(__name__)
LIVE_STATES = (PlaybackSession.State.PLAYING, PlaybackSession.State.PAUSED)


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
def session_end(*, session: PlaybackSession, reason: str = "stopped", message: str = "", by=None) -> PlaybackSession:
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
    session_event(
        "playback.stopped",
        session,
        session_id=str(session.pk),
        reason=reason,
        by_id=by.pk if by is not None else None,
        message=session.message,
    )
    return session


class PlaybackRefused(Exception):
    """A limit says no (server-wide transcodes, the role's streams): the API answers 429 with this reason."""


def _title(media_file: MediaFile) -> str:
    if media_file.movie_id:
        return str(media_file.movie)
    if media_file.episode_id:
        episode = media_file.episode
        title = f" {episode.title}" if episode.title else ""
        return f"{episode}{title}"
    return Path(media_file.path).name


def _live(sessions):
    # A session nobody played for the idle time is as good as stopped, even before the sweep ends it.
    since = timezone.now() - timedelta(minutes=settings.TRANSCODE_IDLE_MINUTES)
    return sessions.filter(state__in=LIVE_STATES, last_seen_at__gte=since)


def _check_limits(*, user, method: str) -> None:
    limits = effective_settings(user=user)
    # Holding the user's row serialises this user's starts, so two at once cannot both take the last stream.
    # Not type(user): a signed-in browser's user is Django's lazy wrapper, which has no manager.
    User.objects.select_for_update().filter(pk=user.pk).first()
    if limits.max_streams and _live(PlaybackSession.objects.filter(user=user)).count() >= limits.max_streams:
        raise PlaybackRefused(
            f"Your role allows {limits.max_streams} stream(s) at once; stop one on another device first."
        )
    if method == PlaybackSession.Method.TRANSCODE and settings.MAX_TRANSCODES:
        running = _live(PlaybackSession.objects.filter(method=PlaybackSession.Method.TRANSCODE)).count()
        if running >= settings.MAX_TRANSCODES:
            raise PlaybackRefused(
                f"The server is already transcoding {running} stream(s), its limit (REVENGE_MAX_TRANSCODES); "
                "try again later or pick a version your device plays directly."
            )


@transaction.atomic
def session_start(
    *,
    user,
    media_file: MediaFile,
    client: Capabilities,
    profile: str = "auto",
    audio_index: int | None = None,
    subtitle: str = "",
    burn_subtitles: bool = False,
    downmix: bool = False,
    start_position: float = 0.0,
    device: str = "",
    ip: str | None = None,
    user_agent: str = "",
) -> PlaybackSession:
    """Plan how the file is played for this client and role, check the limits, and start the session."""
    limits = effective_settings(user=user)
    plan = plan_decide(
        media_file=media_file,
        client=client,
        role_max_height=limits.max_transcode_height,
        role_max_bitrate=limits.max_transcode_bitrate_kbps,
        audio_index=audio_index,
        profile=None if profile == "auto" else profile,
        subtitle=subtitle,
        burn_subtitles=burn_subtitles,
        downmix=downmix,
    )
    _check_limits(user=user, method=plan.method)
    rung = plan.ladder[0]
    session = PlaybackSession.objects.create(
        user=user,
        media_file=media_file,
        movie_id=media_file.movie_id,
        episode_id=media_file.episode_id,
        title=_title(media_file)[:600],
        device=device[:200],
        client=device_label(user_agent)[:200] if user_agent else "",
        user_agent=user_agent[:300],
        ip=ip,
        method=plan.method,
        profile=plan.profile,
        decision=plan.stored(file_id=media_file.pk),
        width=rung["width"],
        height=rung["height"],
        bitrate=rung["bandwidth"],
        video_codec=plan.video.get("codec") or "",
        audio_codec=plan.audio.get("codec") or "",
        audio_index=plan.audio_stream,
        subtitle=subtitle,
        burn_subtitles=plan.burn,
        downmix=downmix,
        tone_map=bool(plan.video.get("tone_map")),
        start_position=start_position,
        position=start_position,
        duration=media_file.duration,
        encoder=encoders.SOFTWARE if plan.method == PlaybackSession.Method.TRANSCODE else "",
    )
    session_event("playback.started", session)
    if plan.method == PlaybackSession.Method.TRANSCODE:
        session_event("transcode.started", session, reason="; ".join(plan.reasons))
    if plan.method != PlaybackSession.Method.DIRECT:
        # A transcode starts at the moment asked for (the part holding it); a remux copies from the start.
        transcoded = plan.method == PlaybackSession.Method.TRANSCODE
        first, part = transcoding.grid_position(start_position, session.duration or 0) if transcoded else (0, 0)
        transcoding.transcode_restart(session=session, start_segment=first, start_part=part)
        session.refresh_from_db()
    return session


def session_terminate(*, session: PlaybackSession, by, message: str = "") -> PlaybackSession:
    """A manager ends someone's stream; the viewer is told `message` when their player asks next."""
    message = message or "Your stream was ended by an admin."
    return session_end(session=session, reason="terminated", message=message, by=by)


def sessions_idle_stop(*, now=None) -> int:
    """End sessions with no heartbeat or segment request for REVENGE_TRANSCODE_IDLE_MINUTES."""
    since = (now or timezone.now()) - timedelta(minutes=settings.TRANSCODE_IDLE_MINUTES)
    idle = PlaybackSession.objects.filter(state__in=LIVE_STATES, last_seen_at__lt=since)
    count = 0
    for session in idle.select_related("user"):
        session_end(session=session, reason="idle")
        count += 1
    transcode_dirs_prune(older_than=since)
    return count


def transcode_dirs_prune(*, older_than) -> int:
    """Remove session folders no live session owns (a crash, a restored database), once untouched a while."""
    root = Path(settings.TRANSCODE_DIR)
    try:
        entries = list(root.iterdir())
    except FileNotFoundError:
        return 0
    names = {}
    for entry in entries:
        try:
            names[str(uuid.UUID(entry.name))] = entry  # only folders we name; nothing else there is ours
        except ValueError:
            continue
    live = {
        str(pk)
        for pk in PlaybackSession.objects.filter(pk__in=names, state__in=LIVE_STATES).values_list("pk", flat=True)
    }
    removed = 0
    for name, entry in names.items():
        try:
            untouched = entry.stat().st_mtime < older_than.timestamp()
        except FileNotFoundError:
            continue
        if name not in live and untouched and entry.is_dir():
            shutil.rmtree(entry, ignore_errors=True)
            removed += 1
    return removed


def session_seen(*, session: PlaybackSession, sent: int = 0) -> None:
    """A segment or heartbeat arrived: the session is not idle; `sent` bytes went to the player."""
    PlaybackSession.objects.filter(pk=session.pk).update(last_seen_at=timezone.now(), bytes_sent=F("bytes_sent") + sent)
