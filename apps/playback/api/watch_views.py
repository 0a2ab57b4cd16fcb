"""Watching over HTTP: heartbeats, pause, resume, stop; history, continue watching, next up, marking watched."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, generics, status
from rest_framework.request import Request
from rest_framework.response import Response

from apps.core.api.permissions import SIGNED_IN, ActionPermissions
from apps.core.api.viewsets import BaseAPIView, BaseGenericAPIView
from apps.media.selectors import episodes_visible_to, movies_visible_to
from apps.playback import watch, watch_selectors
from apps.playback.api.watch_cache import CachedRowMixin
from apps.playback.api.watch_filters import HistoryFilter
from apps.playback.api.watch_serializers import (
    HistorySerializer,
    NextUpSerializer,
    PositionSerializer,
    ProgressSerializer,
    SessionStateSerializer,
    WatchedSerializer,
    WatchStateSerializer,
)
from apps.playback.models import PlaybackSession
from apps.playback.selectors import sessions_visible_to


class SessionStoppedError(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "session_stopped"


class OwnSessionView(BaseAPIView):
    """A write to one of the caller's own sessions; anyone else's answers 404 (managers terminate instead)."""

    action_permissions = ActionPermissions({"post": SIGNED_IN, "options": SIGNED_IN})
    serializer_class = PositionSerializer

    def own_session(self, pk) -> PlaybackSession:
        session = sessions_visible_to(user=self.request.user).filter(user=self.request.user, pk=pk).first()
        if session is None:
            raise exceptions.NotFound("No such playback session.")
        return session

    def act(self, session: PlaybackSession, data: dict) -> PlaybackSession:
        raise NotImplementedError

    def post(self, request: Request, pk) -> Response:
        session = self.own_session(pk)
        body = self.serializer_class(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            session = self.act(session, body.validated_data)
        except watch.SessionStopped as exc:
            raise SessionStoppedError(exc.messages[0]) from exc
        return Response(SessionStateSerializer(session).data)


@extend_schema(request=ProgressSerializer, responses={200: SessionStateSerializer})
class ProgressView(OwnSessionView):
    """Heartbeat: where the player is, and whether it is paused; moves the resume position and watched flag."""

    serializer_class = ProgressSerializer

    def act(self, session: PlaybackSession, data: dict) -> PlaybackSession:
        return watch.session_progress(session=session, position=data["position"], paused=data["paused"])


@extend_schema(request=PositionSerializer, responses={200: SessionStateSerializer})
class PauseView(OwnSessionView):
    """Pause; `position` optional."""

    def act(self, session: PlaybackSession, data: dict) -> PlaybackSession:
        return watch.session_pause(session=session, position=data["position"])


@extend_schema(request=PositionSerializer, responses={200: SessionStateSerializer})
class ResumeView(OwnSessionView):
    """Resume after a pause; `position` optional."""

    def act(self, session: PlaybackSession, data: dict) -> PlaybackSession:
        return watch.session_resume(session=session, position=data["position"])


@extend_schema(request=PositionSerializer, responses={200: SessionStateSerializer})
class StopView(OwnSessionView):
    """Stop with the final `position` (optional); stopping a stopped session answers its state."""

    def act(self, session: PlaybackSession, data: dict) -> PlaybackSession:
        return watch.session_stop(session=session, position=data["position"])


class HistoryView(BaseGenericAPIView, generics.ListAPIView):
    """Plays, newest first: your own; managers also those of the users they may see."""

    selector = watch_selectors.history_visible_to
    action_permissions = ActionPermissions({"get": SIGNED_IN, "options": SIGNED_IN})
    serializer_class = HistorySerializer
    filterset_class = HistoryFilter
    search_fields = ["title"]
    ordering_fields = ["started_at", "stopped_at"]


class ContinueWatchingView(CachedRowMixin, BaseGenericAPIView, generics.ListAPIView):
    """Movies and episodes you started and did not finish, last played first."""

    row_name = "continue-watching"
    selector = watch_selectors.watch_states_in_progress
    action_permissions = ActionPermissions({"get": SIGNED_IN, "options": SIGNED_IN})
    serializer_class = WatchStateSerializer
    filter_backends = []


class NextUpView(CachedRowMixin, BaseGenericAPIView, generics.ListAPIView):
    """The next episode of each show you are watching, most recent show first."""

    row_name = "next-up"
    selector = watch_selectors.episodes_next_up
    action_permissions = ActionPermissions({"get": SIGNED_IN, "options": SIGNED_IN})
    serializer_class = NextUpSerializer
    filter_backends = []


class WatchedView(BaseAPIView):
    """Mark a movie or episode watched or unwatched."""

    action_permissions = ActionPermissions({"post": SIGNED_IN, "options": SIGNED_IN})

    @extend_schema(request=WatchedSerializer, responses={200: WatchStateSerializer})
    def post(self, request: Request) -> Response:
        body = WatchedSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        if "movie" in data:
            item = {"movie": movies_visible_to(user=request.user).filter(pk=data["movie"]).first()}
        else:
            item = {"episode": episodes_visible_to(user=request.user).filter(pk=data["episode"]).first()}
        kind, found = next(iter(item.items()))
        if found is None:
            raise exceptions.NotFound(f"No such {kind}.")
        state = watch.watched_set(user=request.user, watched=data["watched"], **item)
        state = watch_selectors.watch_states_visible_to(user=request.user).get(pk=state.pk)
        return Response(WatchStateSerializer(state).data)
