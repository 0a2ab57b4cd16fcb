"""Browsing: libraries, search, movies, shows, seasons, people."""

from django.urls import path

from apps.web.views import browse

urlpatterns = [
    path("libraries/<int:library_id>/", browse.library_page, name="library"),
    path("search/", browse.search_page, name="search"),
]
