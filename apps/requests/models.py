"""Radarr and Sonarr servers, and the media requests handed to them."""

from __future__ import annotations

import secrets

from django.db import models
from django.db.models import Q

from apps.core.fields import EncryptedTextField


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
    api_key = EncryptedTextField(help_text="Settings → General → API Key in Radarr/Sonarr.")
    allow_private_network = models.BooleanField(
        default=False,
        help_text="Admins only: may reach addresses of the server's own network (loopback, LAN, link-local).",
    )
    quality_profile_id = models.PositiveIntegerField(null=True, blank=True)
    root_folder = models.CharField(max_length=500, blank=True)
    language_profile_id = models.PositiveIntegerField(
        null=True, blank=True, help_text="Sonarr v3 only: the language profile new series get (v4 has none)."
    )
    tags = models.JSONField(default=list, blank=True, help_text="Tag ids added to everything sent.")
    is_default = models.BooleanField(default=False)
    is_4k = models.BooleanField(default=False)
    enabled = models.BooleanField(default=True)
    webhook_secret = EncryptedTextField(default=_webhook_secret, editable=False)
    last_checked_at = models.DateTimeField(null=True, blank=True)
    last_check = models.CharField(max_length=500, blank=True, help_text="What the last connection test said.")
    path_mappings = models.JSONField(
        default=list,
        blank=True,
        help_text='When the server sees the media elsewhere: [{"remote": "/movies", "local": "/srv/media/movies"}].',
    )

    class Meta:
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "is_4k"], condition=Q(is_default=True), name="one_default_arr_server_per_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()}{', 4K' if self.is_4k else ''})"


class MediaRequest(models.Model):
    """Someone asked for a movie or (some seasons of) a show; others asking for the same join as subscribers."""

    class Kind(models.TextChoices):
        MOVIE = "movie", "Movie"
        SHOW = "show", "Show"

    class Status(models.TextChoices):
        PENDING = "pending", "Pending approval"
        APPROVED = "approved", "Approved"
        PROCESSING = "processing", "Processing"
        AVAILABLE = "available", "Available"
        DECLINED = "declined", "Declined"
        FAILED = "failed", "Failed"

    OPEN = (Status.PENDING, Status.APPROVED, Status.PROCESSING)

    kind = models.CharField(max_length=8, choices=Kind.choices)
    tmdb_id = models.PositiveIntegerField(null=True, blank=True)
    tvdb_id = models.PositiveIntegerField(null=True, blank=True)
    title = models.CharField(max_length=500)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    poster = models.URLField(max_length=1000, blank=True)
    seasons = models.JSONField(default=list, blank=True, help_text="Season numbers; empty is every season.")
    is_4k = models.BooleanField(default=False)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    requested_by = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="media_requests")
    subscribers = models.ManyToManyField("accounts.User", blank=True, related_name="subscribed_requests")
    server = models.ForeignKey(ArrServer, null=True, blank=True, on_delete=models.SET_NULL, related_name="requests")
    quality_profile_id = models.PositiveIntegerField(null=True, blank=True)
    root_folder = models.CharField(max_length=500, blank=True)
    arr_id = models.PositiveIntegerField(null=True, blank=True, help_text="The movie's or series' id on the server.")
    decline_reason = models.CharField(max_length=500, blank=True)
    failure_reason = models.CharField(max_length=1000, blank=True)
    approved_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="approved_requests"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    available_at = models.DateTimeField(null=True, blank=True)
    movie = models.ForeignKey("media.Movie", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    show = models.ForeignKey("media.Show", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="movie", tmdb_id__isnull=False) | Q(kind="show", tvdb_id__isnull=False)),
                name="media_request_has_external_id",
            ),
            # One open request per title and 4K flag: a second one joins the first.
            models.UniqueConstraint(
                fields=["tmdb_id", "is_4k"],
                condition=Q(kind="movie", status__in=["pending", "approved", "processing"]),
                name="one_open_movie_request",
            ),
            models.UniqueConstraint(
                fields=["tvdb_id", "is_4k"],
                condition=Q(kind="show", status__in=["pending", "approved", "processing"]),
                name="one_open_show_request",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "created_at"], name="request_queue"),
            models.Index(fields=["requested_by", "kind", "created_at"], name="request_quota"),
            models.Index(fields=["server", "arr_id"], name="request_by_arr_id"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.year})" if self.year else self.title

    @property
    def external_id(self) -> int | None:
        return self.tmdb_id if self.kind == self.Kind.MOVIE else self.tvdb_id
