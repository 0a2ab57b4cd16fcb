"""Reads of the playback app; the only place that decides whose sessions and progress a user sees."""

from __future__ import annotations

from django.db.models import QuerySet

from apps.accounts.selectors import users_visible_to
from apps.playback.models import PlaybackSession

VIEW_SESSIONS = "playback.view_playbacksession"
MANAGE_SESSIONS = "playback.change_playbacksession"


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
