"""Radarr and Sonarr servers that approved requests are handed to."""

from __future__ import annotations

import secrets

from django.db import models
from django.db.models import Q


def _webhook_secret() -> str:
    return secrets.token_urlsafe(24)


class ArrServer(models.Model):
    """A Radarr or Sonarr server; one default per kind, and optionally a separate 4K one (as in Overseerr)."""

    class Kind(models.TextChoices):
        RADARR = "radarr", "Radarr"
        SONARR = "sonarr", "Sonarr"

    kind = models.CharField(max_length=8, choices=Kind.choices)
    name = models.CharField(max_length=100, unique=True)
    base_url = models.URLField(help_text="e.g. http://radarr:7878")
    api_key = models.CharField(max_length=200, help_text="Settings → General → API Key in Radarr/Sonarr.")
    quality_profile_id = models.PositiveIntegerField(null=True, blank=True)
    root_folder = models.CharField(max_length=500, blank=True)
    tags = models.JSONField(default=list, blank=True, help_text="Tag ids added to everything sent.")
    is_default = models.BooleanField(default=False)
    is_4k = models.BooleanField(default=False)
    enabled = models.BooleanField(default=True)
    webhook_secret = models.CharField(max_length=100, default=_webhook_secret, editable=False)
    last_checked_at = models.DateTimeField(null=True, blank=True)
    last_check = models.CharField(max_length=500, blank=True, help_text="What the last connection test said.")

    class Meta:
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "is_4k"], condition=Q(is_default=True), name="one_default_arr_server_per_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()}{', 4K' if self.is_4k else ''})"
