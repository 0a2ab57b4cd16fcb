"""Notification deliveries on /metrics, read from the outbox at scrape time: what waits, and what failed lately."""

from __future__ import annotations

from datetime import timedelta

from django.db import DatabaseError
from django.db.models import Count, Min
from django.utils import timezone
from prometheus_client.core import GaugeMetricFamily

from apps.notifications.models import NotificationDelivery

WAITING = (
    NotificationDelivery.Status.PENDING,
    NotificationDelivery.Status.RETRYING,
    NotificationDelivery.Status.SENDING,
)
RECENT = timedelta(hours=1)


class DeliveryCollector:
    """revenge_notification_deliveries_waiting{status}, the oldest one's age, and failures of the last hour."""

    def collect(self):
        now = timezone.now()
        try:
            waiting = {
                row["status"]: row
                for row in NotificationDelivery.objects.filter(status__in=WAITING)
                .values("status")
                .annotate(n=Count("pk"), oldest=Min("created_at"))
            }
            failed = NotificationDelivery.objects.filter(
                status=NotificationDelivery.Status.FAILED, updated_at__gte=now - RECENT
            ).count()
        except DatabaseError:
            return  # /readyz reports the database; /metrics still answers
        family = GaugeMetricFamily(
            "revenge_notification_deliveries_waiting", "Deliveries not yet sent, by status.", labels=["status"]
        )
        for status in WAITING:
            family.add_metric([status], waiting.get(status, {}).get("n", 0))
        yield family
        oldest = [row["oldest"] for row in waiting.values() if row["oldest"]]
        yield GaugeMetricFamily(
            "revenge_notification_oldest_waiting_seconds",
            "Age of the oldest delivery not yet sent (0: none waits).",
            value=(now - min(oldest)).total_seconds() if oldest else 0,
        )
        yield GaugeMetricFamily(
            "revenge_notification_deliveries_failed_recent",
            "Deliveries that gave up within the last hour.",
            value=failed,
        )
