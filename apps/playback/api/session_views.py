"""Playback sessions: start one (direct play or HLS), list and read them, and managers' terminate."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from apps.accounts.services.sessions import request_ip, request_user_agent
from apps.core.api.permissions import SIGNED_IN, ActionPermissions
from apps.core.api.viewsets import BaseGenericViewSet
from apps.media.selectors import files_streamable_to
from apps.playback import selectors, services, watch_selectors
from apps.playback.api.session_filters import SessionFilter
from apps.playback.api.session_serializers import SessionCreateSerializer, SessionSerializer, TerminateSerializer


class TooManyStreams(exceptions.APIException):
    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_code = "playback_limit"


class SessionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, BaseGenericViewSet):
    """Your sessions (managers: everyone's they may see); `?active=1` for what is playing now."""

    selector = selectors.sessions_visible_to
    # terminate: ending someone else's stream is checked on the session (selectors.may_terminate).
    action_permissions = ActionPermissions(
        dict.fromkeys(["list", "retrieve", "create", "terminate", "metadata"], SIGNED_IN)
    )
    serializer_class = SessionSerializer
    filterset_class = SessionFilter
    # Session ids are UUIDs, not the digits SelectorMixin expects of other ids.
    lookup_value_regex = "[^/.]+"

    def get_queryset(self):
        sessions = super().get_queryset()
        if self.action == "list":  # a list of past plays: only of what the viewer may see today
            sessions = watch_selectors.plays_still_visible(user=self.request.user, plays=sessions)
        if self.request.query_params.get("active") in ("1", "true", "yes"):
            sessions = selectors.sessions_active(sessions=sessions)
        return sessions

    @extend_schema(request=SessionCreateSerializer, responses={201: SessionSerializer})
    def create(self, request):
        query = SessionCreateSerializer(data=request.data)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        media_file = (
            files_streamable_to(user=request.user)
            .filter(pk=data["file"])
            .prefetch_related("streams", "subtitles")
            .first()
        )
        if media_file is None:
            raise exceptions.NotFound("No such file.")
        try:
            session = services.session_start(
                user=request.user,
                media_file=media_file,
                client=query.capabilities(),
                profile=data["profile"],
                audio_index=data.get("audio_stream"),
                subtitle=data.get("subtitle", ""),
                burn_subtitles=data["burn_subtitles"],
                downmix=data["downmix"],
                start_position=min(data["start_position"], media_file.duration or data["start_position"]),
                device=data["device"],
                ip=request_ip(request),
                user_agent=request_user_agent(request),
            )
        except services.PlaybackRefused as exc:
            raise TooManyStreams(str(exc)) from exc
        return Response(SessionSerializer(session, context={"request": request}).data, status=201)

    @extend_schema(request=TerminateSerializer, responses={200: SessionSerializer})
    @action(detail=True, methods=["post"])
    def terminate(self, request, pk=None):
        """End someone's stream (managers), with a message their player is shown."""
        session = self.get_object()
        if not selectors.may_terminate(user=request.user, session=session):
            raise exceptions.PermissionDenied("Ending another person's stream needs playback.change_playbacksession.")
        body = TerminateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        ended = services.session_terminate(session=session, by=request.user, message=body.validated_data["message"])
        return Response(SessionSerializer(ended, context={"request": request}).data)
