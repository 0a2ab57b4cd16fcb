from django.urls import path
from rest_framework.routers import SimpleRouter

from apps.playback.api import hls_views, watch_views
from apps.playback.api.preference_views import PlaybackPreferenceView
from apps.playback.api.session_views import SessionViewSet
from apps.playback.api.stream_views import FileStreamView, PlaybackDecisionView

router = SimpleRouter()
router.register("playback/sessions", SessionViewSet, basename="playback-session")

HLS = "playback/hls/<slug:token>/"
urlpatterns = [
    path("files/<int:pk>/stream/", FileStreamView.as_view(), name="file-stream"),
    path("playback/decision/", PlaybackDecisionView.as_view(), name="playback-decision"),
    path(HLS + "master.m3u8", hls_views.MasterPlaylistView.as_view(), name="hls-master"),
    path(HLS + "subtitles/<slug:key>.m3u8", hls_views.SubtitlePlaylistView.as_view(), name="hls-subtitle-playlist"),
    path(HLS + "subtitles/<slug:key>.vtt", hls_views.SubtitleView.as_view(), name="hls-subtitle"),
    path(HLS + "<slug:variant>/index.m3u8", hls_views.MediaPlaylistView.as_view(), name="hls-media"),
    path(HLS + "<slug:variant>/segment_<int:number>.ts", hls_views.SegmentView.as_view(), name="hls-segment"),
    path(HLS + "<slug:variant>/segment_<int:number>_<int:part>.ts", hls_views.SegmentView.as_view(), name="hls-part"),
    path("playback/sessions/<uuid:pk>/progress/", watch_views.ProgressView.as_view(), name="playback-progress"),
    path("playback/sessions/<uuid:pk>/pause/", watch_views.PauseView.as_view(), name="playback-pause"),
    path("playback/sessions/<uuid:pk>/resume/", watch_views.ResumeView.as_view(), name="playback-resume"),
    path("playback/sessions/<uuid:pk>/stop/", watch_views.StopView.as_view(), name="playback-stop"),
    path("playback/history/", watch_views.HistoryView.as_view(), name="playback-history"),
    path("playback/continue-watching/", watch_views.ContinueWatchingView.as_view(), name="playback-continue"),
    path("playback/next-up/", watch_views.NextUpView.as_view(), name="playback-next-up"),
    path("playback/watched/", watch_views.WatchedView.as_view(), name="playback-watched"),
    path("playback/preferences/", PlaybackPreferenceView.as_view(), name="playback-preferences"),
    *router.urls,
]
