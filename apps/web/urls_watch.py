"""Watching: the player."""

urlpatterns: list = []
