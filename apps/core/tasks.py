"""Celery tasks of the core app: thin wrappers over services."""

from __future__ import annotations

from datetime import timedelta

from celery import shared_task
from django.conf import settings

from apps.core import services


@shared_task(name="core.ping")
def ping(value: str = "pong") -> str:
    """Round trip check: returns what it was given."""
    return value


@shared_task(name="core.task_runs_prune")
def task_runs_prune() -> int:
    """Forget finished task runs older than REVENGE_TASK_RUN_RETENTION_DAYS."""
    return services.task_runs_prune(older_than=timedelta(days=settings.TASK_RUN_RETENTION_DAYS))
