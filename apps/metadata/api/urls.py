"""Metadata endpoints: identify and refresh (images at every size are added by the images work)."""

from __future__ import annotations

from django.urls import re_path

from apps.metadata.api import metadata_views as views

# ASCII digits, at most 18 of them: an id that long cannot exist, and a longer one would overflow the lookup.
ID = r"(?P<pk>[0-9]{1,18})"

urlpatterns: list = [
    re_path(rf"^movies/{ID}/refresh-metadata/$", views.MovieRefreshView.as_view(), name="movie-refresh-metadata"),
    re_path(rf"^shows/{ID}/refresh-metadata/$", views.ShowRefreshView.as_view(), name="show-refresh-metadata"),
    re_path(
        rf"^libraries/{ID}/refresh-metadata/$", views.LibraryRefreshView.as_view(), name="library-refresh-metadata"
    ),
    re_path(r"^metadata/refresh/$", views.RefreshEverythingView.as_view(), name="metadata-refresh"),
    re_path(rf"^movies/{ID}/identify/$", views.MovieIdentifyView.as_view(), name="movie-identify"),
    re_path(rf"^shows/{ID}/identify/$", views.ShowIdentifyView.as_view(), name="show-identify"),
]
