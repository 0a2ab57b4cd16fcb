from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.views import APIView

from apps.accounts.selectors import effective_settings
from apps.media.selectors import files_visible_to
from apps.playback.streaming import FileUnavailable, stream_response


class FileStreamView(APIView):
    """The file as it is, for direct play: HTTP Range, ETag/Last-Modified; `?download=1` for a download."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[
            OpenApiParameter("download", OpenApiTypes.BOOL, description="As an attachment (needs may_download).")
        ],
        responses={
            (200, "application/octet-stream"): OpenApiTypes.BINARY,
            (206, "application/octet-stream"): OpenApiTypes.BINARY,
        },
    )
    def get(self, request: Request, pk: int):
        media_file = files_visible_to(request.user).filter(pk=pk).first()
        if media_file is None:
            raise exceptions.NotFound("No such file.")
        download = request.query_params.get("download") in ("1", "true", "yes")
        if download and not effective_settings(request.user).may_download:
            raise exceptions.PermissionDenied("Your role may play this file but not download it.")
        try:
            return stream_response(request._request, media_file, download=download)
        except FileUnavailable as exc:
            raise exceptions.NotFound(
                "The file is not on disk right now (moved, deleted, or its disk unmounted)."
            ) from exc
