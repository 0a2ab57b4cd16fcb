"""Writes of watching: heartbeats, pause, resume and stop of a session, resume positions and watched flags."""

from __future__ import annotations

import math

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from apps.accounts.models import User
from apps.media.models import Episode, Movie
from apps.playback import services
from apps.playback.models import PlaybackSession, WatchState

# Clients report a position a little past the probed duration (rounding, the last frame).
POSITION_SLACK_SECONDS = 10.0
# Without a known duration, anything longer than a week of video is a broken client.
MAX_POSITION_SECONDS = 7 * 24 * 3600.0


class SessionStopped(ValidationError):
    """The session has ended: it takes no more heartbeats, pauses or resumes."""


def _checked_position(session: PlaybackSession, position: object) -> float:
    """The position as seconds within the item, or a ValidationError naming what is wrong with it."""
    if isinstance(position, bool) or not isinstance(position, (int, float)):
        raise ValidationError({"position": "A number of seconds is required."})
    position = float(position)
    if not math.isfinite(position) or position < 0:
        raise ValidationError({"position": "The position must be a finite number of seconds, 0 or more."})
    limit = session.duration + POSITION_SLACK_SECONDS if session.duration else MAX_POSITION_SECONDS
    if position > limit:
        raise ValidationError({"position": f"The position {position:.0f} s is past the end ({limit:.0f} s)."})
    return min(position, session.duration) if session.duration else position


def _locked(session: PlaybackSession) -> PlaybackSession:
    locked = PlaybackSession.objects.select_for_update().select_related("user").get(pk=session.pk)
    if locked.state == PlaybackSession.State.STOPPED:
        raise SessionStopped("This playback session has ended; start a new one.", code="session_stopped")
    return locked


def watch_state_lock(*, user: User, movie: Movie | None = None, episode: Episode | None = None) -> WatchState:
    """The user's WatchState of the movie or episode, created when missing and locked for this transaction."""
    item = {"movie": movie} if movie is not None else {"episode": episode}
    # get_or_create retries the read when a concurrent first play created the row first.
    state, _ = WatchState.objects.get_or_create(user=user, **item)
    return WatchState.objects.select_for_update().get(pk=state.pk)


def _watched_threshold(duration: float | None) -> float | None:
    return duration * settings.WATCHED_PERCENT / 100 if duration else None


def _record(session: PlaybackSession, position: float) -> None:
    """Carry the session's position into the user's WatchState; count the play once when it passes the threshold."""
    now = timezone.now()
    state = watch_state_lock(user=session.user, movie=session.movie, episode=session.episode)
    state.last_played_at = now
    state.duration = session.duration or state.duration
    threshold = _watched_threshold(session.duration)
    if session.watched_at is None and threshold is not None and position >= threshold:
        session.watched_at = now
        state.watched, state.position = True, 0
        state.play_count += 1  # the row is locked: no concurrent heartbeat counts it again
    elif session.watched_at is None:
        state.position = position
    # After this session counted the play, the resume position stays at the start.
    state.save()


@transaction.atomic
def session_progress(*, session: PlaybackSession, position: float, paused: bool | None = None) -> PlaybackSession:
    """A client heartbeat: the position (and optionally pause state) of a live session."""
    session = _locked(session)
    position = _checked_position(session, position)
    session.position = position
    session.last_seen_at = timezone.now()
    if session.movie_id or session.episode_id:
        _record(session, position)
    event = _set_paused(session, paused)
    session.save()
    if event:
        services.session_event(event, session)
    return session


def _set_paused(session: PlaybackSession, paused: bool | None) -> str | None:
    """Move the session between playing and paused; the event to emit when it actually changed."""
    State = PlaybackSession.State
    if paused is True and session.state == State.PLAYING:
        session.state, session.paused_at = State.PAUSED, timezone.now()
        return "playback.paused"
    if paused is False and session.state == State.PAUSED:
        session.state, session.paused_at = State.PLAYING, None
        return "playback.resumed"
    return None


def _paused(*, session: PlaybackSession, position: float | None, paused: bool) -> PlaybackSession:
    if position is not None:
        return session_progress(session=session, position=position, paused=paused)
    with transaction.atomic():
        session = _locked(session)
        session.last_seen_at = timezone.now()
        event = _set_paused(session, paused)
        session.save()
        if event:
            services.session_event(event, session)
        return session


def session_pause(*, session: PlaybackSession, position: float | None = None) -> PlaybackSession:
    """Pause a playing session (a paused one stays as it is)."""
    return _paused(session=session, position=position, paused=True)


def session_resume(*, session: PlaybackSession, position: float | None = None) -> PlaybackSession:
    """Resume a paused session (a playing one stays as it is)."""
    return _paused(session=session, position=position, paused=False)


@transaction.atomic
def session_stop(*, session: PlaybackSession, position: float | None = None) -> PlaybackSession:
    """The viewer stopped: record the final position, then end the session; stopping twice changes nothing."""
    current = PlaybackSession.objects.select_for_update().get(pk=session.pk)
    if current.state == PlaybackSession.State.STOPPED:
        return current
    if position is not None:
        session_progress(session=current, position=position)
    return services.session_end(session=current, reason="stopped")


@transaction.atomic
def watched_set(*, user: User, movie: Movie | None = None, episode: Episode | None = None, watched: bool) -> WatchState:
    """Mark a movie or episode watched (resume from the start, counted once) or unwatched (no resume position)."""
    if (movie is None) == (episode is None):
        raise ValidationError("Name exactly one movie or episode.")
    state = watch_state_lock(user=user, movie=movie, episode=episode)
    if watched and not state.watched:
        state.play_count += 1
        state.last_played_at = timezone.now()
    state.watched, state.position = watched, 0
    state.save()
    return state
