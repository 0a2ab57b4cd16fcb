"""Metadata endpoints: images at every size, identify and refresh."""

from __future__ import annotations

from django.urls import path, re_path

from apps.media.images import OWNERS
from apps.metadata.api import metadata_views as views
from apps.metadata.api.image_views import ImageView

# ASCII digits, at most 18 of them: an id that long cannot exist, and a longer one would overflow the lookup.
ID = r"(?P<pk>[0-9]{1,18})"

urlpatterns: list = [
    # One route per owner (not a <slug:owner>): the owner is part of what the URL names, as for every item.
    *(
        path(f"images/{owner}/<int:pk>/", ImageView.as_view(), {"owner": owner}, name=f"{owner}-image")
        for owner in OWNERS
    ),
    re_path(rf"^movies/{ID}/refresh-metadata/$", views.MovieRefreshView.as_view(), name="movie-refresh-metadata"),
    re_path(rf"^shows/{ID}/refresh-metadata/$", views.ShowRefreshView.as_view(), name="show-refresh-metadata"),
    re_path(
        rf"^libraries/{ID}/refresh-metadata/$", views.LibraryRefreshView.as_view(), name="library-refresh-metadata"
    ),
    re_path(r"^metadata/refresh/$", views.RefreshEverythingView.as_view(), name="metadata-refresh"),
    re_path(rf"^movies/{ID}/identify/$", views.MovieIdentifyView.as_view(), name="movie-identify"),
    re_path(rf"^shows/{ID}/identify/$", views.ShowIdentifyView.as_view(), name="show-identify"),
]
