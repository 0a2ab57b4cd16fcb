"""Browsing: libraries, search, movies, shows, seasons, people."""

from django.urls import path

from apps.web.views import browse, titles

urlpatterns = [
    path("libraries/<int:library_id>/", browse.library_page, name="library"),
    path("search/", browse.search_page, name="search"),
    path("movies/<int:movie_id>/", titles.movie_page, name="movie"),
    path("movies/<int:movie_id>/watched/", titles.movie_watched, name="movie-watched"),
    path("shows/<int:show_id>/", titles.show_page, name="show"),
    path("shows/<int:show_id>/seasons/<int:season_number>/", titles.season_page, name="season"),
    path("episodes/<int:episode_id>/watched/", titles.episode_watched, name="episode-watched"),
    path("people/<int:person_id>/", titles.person_page, name="person"),
]
