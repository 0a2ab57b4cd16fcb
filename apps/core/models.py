"""Base models shared by every app, and the record of Celery task runs."""

from __future__ import annotations

from datetime import timedelta

from django.db import models


class TimeStampedModel(models.Model):
    """Adds created/updated timestamps."""

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class TaskRun(models.Model):
    """One Celery task execution as operators see it in the admin; upserted on the task id."""

    class State(models.TextChoices):
        QUEUED = "queued", "Queued"
        STARTED = "started", "Started"
        RETRY = "retry", "Retrying"
        SUCCESS = "success", "Succeeded"
        FAILURE = "failure", "Failed"
        REVOKED = "revoked", "Revoked"

    FINISHED_STATES = (State.SUCCESS, State.FAILURE, State.REVOKED)

    task_id = models.CharField(max_length=255, unique=True)
    name = models.CharField(max_length=255, db_index=True)
    args_summary = models.TextField(blank=True)
    state = models.CharField(max_length=16, choices=State.choices, default=State.QUEUED, db_index=True)
    worker = models.CharField(max_length=255, blank=True)
    retries = models.PositiveIntegerField(default=0)
    queued_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["name", "-started_at"]), models.Index(fields=["finished_at"])]

    def __str__(self) -> str:
        return f"{self.name} [{self.state}]"

    @property
    def duration(self) -> timedelta | None:
        if self.started_at and self.finished_at:
            return self.finished_at - self.started_at
        return None
