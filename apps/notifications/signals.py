"""Signal handlers: routing snapshots renew when agents, preferences or wording change; a worker says it started."""

from __future__ import annotations

from celery import signals as celery_signals
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from apps.core import events
from apps.notifications import routing
from apps.notifications.models import MessageTemplate, NotificationAgent, NotificationPreference


@receiver(post_save, sender=NotificationAgent)
@receiver(post_delete, sender=NotificationAgent)
@receiver(post_save, sender=NotificationPreference)
@receiver(post_delete, sender=NotificationPreference)
@receiver(post_save, sender=MessageTemplate)
@receiver(post_delete, sender=MessageTemplate)
def routing_changed(sender, **kwargs) -> None:
    routing.routing_changed()


@celery_signals.worker_ready.connect
def worker_started(sender=None, **kwargs) -> None:
    """system.startup, once per start of a worker (its main process, when it is ready to take tasks)."""
    events.emit("system.startup", process="worker")
