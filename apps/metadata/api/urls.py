"""Metadata endpoints: images at every size, identify and refresh."""

from __future__ import annotations

from django.urls import path

from apps.metadata.api.image_views import ImageView

urlpatterns: list = [
    path("images/<slug:owner>/<int:pk>/", ImageView.as_view(), name="image"),
]
