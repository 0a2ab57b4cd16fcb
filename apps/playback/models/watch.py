"""What each user has watched: resume position, watched flag and play count per movie or episode."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class WatchState(models.Model):
    """One user's progress through one movie or episode."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="watch_states")
    movie = models.ForeignKey("media.Movie", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    episode = models.ForeignKey("media.Episode", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    position = models.FloatField(default=0, help_text="Resume position in seconds; 0 once watched.")
    duration = models.FloatField(null=True, blank=True)
    watched = models.BooleanField(default=False)
    play_count = models.PositiveIntegerField(default=0)
    last_played_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-last_played_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "movie"], condition=Q(movie__isnull=False), name="watch_movie"),
            models.UniqueConstraint(
                fields=["user", "episode"], condition=Q(episode__isnull=False), name="watch_episode"
            ),
            models.CheckConstraint(
                condition=Q(movie__isnull=False, episode__isnull=True) | Q(movie__isnull=True, episode__isnull=False),
                name="watch_state_has_one_item",
            ),
        ]
        indexes = [models.Index(fields=["user", "-last_played_at"], name="watch_state_recent")]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.movie_id or self.episode_id} at {self.position:.0f}s"
