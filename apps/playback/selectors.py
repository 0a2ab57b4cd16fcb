"""Reads of the playback app; the only place that decides whose sessions and progress a user sees."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from apps.accounts.selectors import users_visible_to
from apps.playback.models import PlaybackSession

VIEW_SESSIONS = "playback.view_playbacksession"
MANAGE_SESSIONS = "playback.change_playbacksession"
LIVE_STATES = (PlaybackSession.State.PLAYING, PlaybackSession.State.PAUSED)


def sessions_visible_to(*, user) -> QuerySet[PlaybackSession]:
    """Everyone sees their own sessions; managers also those of the users they may see."""
    if not user or not user.is_authenticated:
        return PlaybackSession.objects.none()
    sessions = PlaybackSession.objects.select_related("user")
    if user.has_perm(VIEW_SESSIONS):
        return sessions.filter(user__in=users_visible_to(user=user))
    return sessions.filter(user=user)


def sessions_active(*, sessions: QuerySet[PlaybackSession]) -> QuerySet[PlaybackSession]:
    return sessions.exclude(state=PlaybackSession.State.STOPPED)


def may_terminate(*, user, session: PlaybackSession) -> bool:
    """Managers may end the sessions of users they may see; nobody else ends another's session."""
    return bool(
        user
        and user.is_authenticated
        and user.has_perm(MANAGE_SESSIONS)
        and users_visible_to(user=user).filter(pk=session.user_id).exists()
    )


def sessions_live(*, sessions: QuerySet[PlaybackSession]) -> QuerySet[PlaybackSession]:
    """Of `sessions`, those playing or paused and heard from within REVENGE_TRANSCODE_IDLE_MINUTES."""
    since = timezone.now() - timedelta(minutes=settings.TRANSCODE_IDLE_MINUTES)
    return sessions.filter(state__in=LIVE_STATES, last_seen_at__gte=since)


def may_terminate_any(*, user) -> bool:
    """Whether the user may end anyone's streams at all (may_terminate decides each one)."""
    return bool(user and user.is_authenticated and user.has_perm(MANAGE_SESSIONS))
