"""The watcher's state on the web process's /metrics, read from the status rows watchers write."""

from __future__ import annotations

from django.db import DatabaseError
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily

from apps.libraries.models import WatcherStatus
from apps.scanning.selectors import watcher_alive


class WatcherCollector:
    """revenge_watcher_*: running watchers, watched libraries and folders, events seen, last event time."""

    def collect(self):
        try:
            rows = [row for row in WatcherStatus.objects.all() if watcher_alive(status=row)]
        except DatabaseError:
            return  # /readyz reports the database; /metrics still answers
        yield GaugeMetricFamily("revenge_watcher_up", "Watcher processes with a fresh heartbeat.", value=len(rows))
        yield GaugeMetricFamily(
            "revenge_watcher_watched_libraries",
            "Libraries watched in real time.",
            value=len({lib["id"] for row in rows for lib in row.libraries if lib.get("state") == "watching"}),
        )
        yield GaugeMetricFamily(
            "revenge_watcher_watches", "inotify watches (folders) held.", value=sum(row.watches for row in rows)
        )
        yield CounterMetricFamily(
            "revenge_watcher_events",
            "Filesystem events seen by running watchers.",
            value=sum(r.events_seen for r in rows),
        )
        last = [row.last_event_at.timestamp() for row in rows if row.last_event_at]
        yield GaugeMetricFamily(
            "revenge_watcher_last_event_timestamp_seconds",
            "When a watcher last saw an event.",
            value=max(last, default=0),
        )
