import uuid

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions
from rest_framework.request import Request
from rest_framework.response import Response

from apps.accounts.selectors import effective_settings
from apps.core.api.permissions import SIGNED_IN, ActionPermissions
from apps.core.api.viewsets import BaseAPIView
from apps.media.selectors import files_downloadable_to, files_streamable_to, files_visible_to
from apps.playback.api.decision_serializers import DecisionQuerySerializer, DecisionSerializer
from apps.playback.models import PlaybackSession
from apps.playback.plan import plan_decide
from apps.playback.selectors import sessions_active
from apps.playback.services import session_seen
from apps.playback.streaming import FileUnavailable, stream_response


class FileStreamView(BaseAPIView):
    """The file as it is, for direct play: HTTP Range, ETag/Last-Modified; `?download=1` for a download."""

    # Which files: files_streamable_to and files_downloadable_to, in the handler.
    action_permissions = ActionPermissions({"get": SIGNED_IN, "options": SIGNED_IN})

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "download",
                OpenApiTypes.BOOL,
                description="As an attachment (needs may_download and the library's download grant).",
            ),
            OpenApiParameter("session", OpenApiTypes.UUID, description="Your playback session, for its bytes sent."),
        ],
        responses={
            (200, "application/octet-stream"): OpenApiTypes.BINARY,
            (206, "application/octet-stream"): OpenApiTypes.BINARY,
        },
    )
    def get(self, request: Request, pk: int):
        media_file = files_streamable_to(user=request.user).select_related("library").filter(pk=pk).first()
        if media_file is None:
            raise exceptions.NotFound("No such file.")
        download = request.query_params.get("download") in ("1", "true", "yes")
        if download and not files_downloadable_to(user=request.user).filter(pk=pk).exists():
            raise exceptions.PermissionDenied("You may play this file but not download it.")
        try:
            response = stream_response(request._request, media_file, download=download)
        except FileUnavailable as exc:
            raise exceptions.NotFound(
                "The file is not on disk right now (moved, deleted, or its disk unmounted)."
            ) from exc
        _count_for_session(request, media_file, response)
        return response


class PlaybackDecisionView(BaseAPIView):
    """How a file would be played for this client and your role, and why: direct, remux or transcode."""

    action_permissions = ActionPermissions({"get": SIGNED_IN, "options": SIGNED_IN})

    @extend_schema(parameters=[DecisionQuerySerializer], responses={200: DecisionSerializer})
    def get(self, request: Request):
        query = DecisionQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        media_file = (
            files_visible_to(user=request.user)
            .filter(pk=query.validated_data["file"])
            .prefetch_related("streams")
            .first()
        )
        if media_file is None:
            raise exceptions.NotFound("No such file.")
        limits = effective_settings(user=request.user)
        decision = plan_decide(
            media_file=media_file,
            client=query.capabilities(),
            role_max_height=limits.max_transcode_height,
            role_max_bitrate=limits.max_transcode_bitrate_kbps,
        )
        return Response(DecisionSerializer({"file": media_file.pk, **vars(decision)}).data)


def _count_for_session(request: Request, media_file, response) -> None:
    """Direct play of a session (`?session=ID`): the bytes sent and the sign of life go to that session."""
    try:
        session_id = uuid.UUID(request.query_params.get("session", ""))
    except ValueError:
        return
    session = sessions_active(
        sessions=PlaybackSession.objects.filter(pk=session_id, user=request.user, media_file=media_file)
    )
    if session.exists():
        session_seen(session=session.get(), sent=int(response.get("Content-Length") or 0))
