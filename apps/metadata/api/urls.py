"""Metadata endpoints: images at every size, identify and refresh."""

from __future__ import annotations

from django.urls import path

from apps.media.images import OWNERS
from apps.metadata.api.image_views import ImageView

urlpatterns: list = [
    # One route per owner (not a <slug:owner>): the owner is part of what the URL names, as for every item.
    *(
        path(f"images/{owner}/<int:pk>/", ImageView.as_view(), {"owner": owner}, name=f"{owner}-image")
        for owner in OWNERS
    ),
]
