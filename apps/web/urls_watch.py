"""Watching: the player."""

from django.urls import path

from apps.web.views import watch

urlpatterns = [
    path("watch/movie/<int:movie_id>/", watch.watch_movie, name="watch-movie"),
    path("watch/episode/<int:episode_id>/", watch.watch_episode, name="watch-episode"),
    path("watch/subtitles/<int:file_id>/<slug:key>.vtt", watch.watch_subtitle, name="watch-subtitle"),
]
