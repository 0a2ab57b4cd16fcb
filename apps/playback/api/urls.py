from django.urls import path

from apps.playback.api.views import FileStreamView, PlaybackDecisionView

urlpatterns = [
    path("files/<int:pk>/stream/", FileStreamView.as_view(), name="file-stream"),
    path("playback/decision/", PlaybackDecisionView.as_view(), name="playback-decision"),
]
