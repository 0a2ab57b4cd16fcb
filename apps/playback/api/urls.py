from django.urls import path

from apps.playback.api import watch_views
from apps.playback.api.views import FileStreamView, PlaybackDecisionView

urlpatterns = [
    path("files/<int:pk>/stream/", FileStreamView.as_view(), name="file-stream"),
    path("playback/decision/", PlaybackDecisionView.as_view(), name="playback-decision"),
    path("playback/sessions/<uuid:pk>/progress/", watch_views.ProgressView.as_view(), name="playback-progress"),
    path("playback/sessions/<uuid:pk>/pause/", watch_views.PauseView.as_view(), name="playback-pause"),
    path("playback/sessions/<uuid:pk>/resume/", watch_views.ResumeView.as_view(), name="playback-resume"),
    path("playback/sessions/<uuid:pk>/stop/", watch_views.StopView.as_view(), name="playback-stop"),
    path("playback/history/", watch_views.HistoryView.as_view(), name="playback-history"),
    path("playback/continue-watching/", watch_views.ContinueWatchingView.as_view(), name="playback-continue"),
    path("playback/next-up/", watch_views.NextUpView.as_view(), name="playback-next-up"),
    path("playback/watched/", watch_views.WatchedView.as_view(), name="playback-watched"),
]
