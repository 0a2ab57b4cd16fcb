"""Metadata endpoints: images at every size, identify and refresh."""

from __future__ import annotations

urlpatterns: list = []
