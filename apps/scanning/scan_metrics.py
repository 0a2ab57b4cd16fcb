"""Library scans on /metrics, read from the scan rows at scrape time: how many run, and how fast."""

from __future__ import annotations

from django.db import DatabaseError
from django.utils import timezone
from prometheus_client.core import GaugeMetricFamily

from apps.libraries.models import LibraryScan


class ScanCollector:
    """revenge_scans{status,kind} and revenge_scan_files_per_second (files seen and indexed, all running scans)."""

    def collect(self):
        try:
            active = list(
                LibraryScan.objects.filter(status__in=LibraryScan.ACTIVE).values(
                    "status", "kind", "seen", "indexed", "started_at"
                )[:1000]  # one active scan per library: bounded by the libraries
            )
        except DatabaseError:
            return  # /readyz reports the database; /metrics still answers
        scans = GaugeMetricFamily("revenge_scans", "Scans pending or running, by kind.", labels=["status", "kind"])
        for status in LibraryScan.ACTIVE:
            for kind in LibraryScan.Kind.values:
                scans.add_metric(
                    [status, kind], sum(1 for row in active if row["status"] == status and row["kind"] == kind)
                )
        yield scans
        now = timezone.now()
        rate = 0.0
        for row in active:
            if row["status"] == LibraryScan.Status.RUNNING and row["started_at"]:
                elapsed = max((now - row["started_at"]).total_seconds(), 1.0)
                rate += (row["seen"] + row["indexed"]) / elapsed
        yield GaugeMetricFamily(
            "revenge_scan_files_per_second", "Files walked plus files indexed per second, over running scans.", rate
        )
