"""The activity log: one table for model changes (written by django-auditlog) and auth and security events."""

from __future__ import annotations

from auditlog.models import AbstractLogEntry
from django.db import models


class Activity(AbstractLogEntry):
    """One entry of the activity log; django-auditlog's log entry model (AUDITLOG_LOGENTRY_MODEL)."""

    # Auth and security entries are about a user or an address, not always a row: no content type then.
    content_type = models.ForeignKey(
        "contenttypes.ContentType", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    object_pk = models.CharField(max_length=255, blank=True, default="", db_index=True)
    object_repr = models.TextField(blank=True, default="")
    event = models.CharField(
        max_length=40,
        db_index=True,
        help_text="What happened: create, update, delete, or an auth/security event such as login_failed.",
    )
    success = models.BooleanField(default=True)
    actor_name = models.CharField(max_length=150, blank=True, help_text="Kept when the actor's account is gone.")
    user_agent = models.CharField(max_length=300, blank=True)
    message = models.CharField(max_length=500, blank=True)

    class Meta(AbstractLogEntry.Meta):
        verbose_name = "activity entry"
        verbose_name_plural = "activity"
        indexes = [
            models.Index(fields=["-timestamp"], name="activity_newest"),
            models.Index(fields=["event", "-timestamp"], name="activity_event_newest"),
            models.Index(fields=["actor", "-timestamp"], name="activity_actor_newest"),
            models.Index(fields=["content_type", "object_pk"], name="activity_object"),
        ]

    def __str__(self) -> str:
        return f"{self.timestamp:%Y-%m-%d %H:%M:%S} {self.event} {self.object_repr}".strip()

    @property
    def object_type(self) -> str:
        """ "app_label.model" of the object, or "" for entries about no row."""
        if self.content_type_id is None:
            return ""
        return f"{self.content_type.app_label}.{self.content_type.model}"
