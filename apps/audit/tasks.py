"""Celery tasks of the audit app."""

from celery import shared_task

from apps.audit import services


@shared_task(name="audit.activity_prune")
def activity_prune() -> int:
    """Forget activity older than REVENGE_AUDIT_RETENTION_DAYS."""
    return services.activity_prune()
