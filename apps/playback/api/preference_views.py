"""Your playback defaults: audio and subtitle language, and when subtitles show."""

from __future__ import annotations

from rest_framework.request import Request
from rest_framework.response import Response

from apps.core.api.permissions import SIGNED_IN, ActionPermissions
from apps.core.api.viewsets import BaseGenericAPIView
from apps.playback.api.preference_serializers import PlaybackPreferenceSerializer
from apps.playback.preference_selectors import playback_preference_of


class PlaybackPreferenceView(BaseGenericAPIView):
    """Your defaults for the tracks players pick; languages are stored as ISO 639-2/B codes."""

    serializer_class = PlaybackPreferenceSerializer
    action_permissions = ActionPermissions(dict.fromkeys(["get", "put", "patch", "options"], SIGNED_IN))
    filter_backends = []
    pagination_class = None

    def get_object(self):
        return playback_preference_of(user=self.request.user)

    def get(self, request: Request) -> Response:
        return Response(PlaybackPreferenceSerializer(self.get_object()).data)

    def put(self, request: Request) -> Response:
        return self._save(request, partial=False)

    def patch(self, request: Request) -> Response:
        return self._save(request, partial=True)

    def _save(self, request: Request, *, partial: bool) -> Response:
        serializer = PlaybackPreferenceSerializer(self.get_object(), data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        return Response(PlaybackPreferenceSerializer(serializer.save()).data)
