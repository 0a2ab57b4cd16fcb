"""One scan per library at a time, stale locks, cancellation, the periodic safety net and the Celery fan-out."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from celery.contrib.testing.worker import start_worker
from django.utils import timezone

from apps.libraries import services
from apps.libraries.models import Library, LibraryScan
from apps.media.models import MediaFile
from apps.scanning import services as scanning
from apps.scanning import tasks
from revenge.celery import app

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def library(tmp_path, place):
    root = tmp_path / "movies"
    for number in range(1, 6):
        place(root, f"Movie {number} ({2000 + number})/Movie {number} ({2000 + number}).mkv")
    return services.library_create(name="Movies", kind="movies", paths=[str(root)])


def test_a_second_scan_waits_for_the_first(library):
    first = scanning.scan_begin(library=library)
    with pytest.raises(scanning.ScanAlreadyRunningError) as caught:
        scanning.scan_begin(library=library)
    assert caught.value.scan.pk == first.pk
    scanning.scan_run(scan=first)
    assert scanning.scan_begin(library=library).pk != first.pk


def test_a_stale_scan_is_failed_and_the_lock_released(library, settings, received):
    stale = scanning.scan_begin(library=library)
    LibraryScan.objects.filter(pk=stale.pk).update(
        status="running", heartbeat_at=timezone.now() - timedelta(minutes=settings.SCAN_STALE_MINUTES + 1)
    )
    fresh = scanning.scan_begin(library=library)
    stale.refresh_from_db()
    assert stale.status == LibraryScan.Status.FAILED
    assert "abandoned" in stale.failure
    assert fresh.status == LibraryScan.Status.PENDING
    assert [e.name for e in received] == ["library.scan_failed"]


def test_a_cancelled_scan_indexes_nothing_more(library):
    scan = scanning.scan_begin(library=library)
    assert scanning.scan_cancel(scan=scan)
    scanning.scan_run(scan=scan)
    tasks.library_index_chunk(scan.pk, ["/nowhere.mkv"])
    scan.refresh_from_db()
    assert scan.status == LibraryScan.Status.CANCELLED
    assert MediaFile.objects.count() == 0
    assert not scanning.scan_cancel(scan=scan)


def test_periodic_scans_start_only_when_due(library):
    assert len(scanning.libraries_scan_due()) == 1
    LibraryScan.objects.update(status="completed")
    Library.objects.update(last_scanned_at=timezone.now())
    assert scanning.libraries_scan_due() == []
    Library.objects.update(last_scanned_at=timezone.now() - timedelta(minutes=library.scan_interval_minutes + 1))
    assert len(scanning.libraries_scan_due()) == 1


def test_scan_fans_out_to_celery_workers(library, monkeypatch):
    monkeypatch.setattr(scanning, "CHUNK_SIZE", 2)
    app.control.purge()
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        scan = scanning.library_scan_enqueue(library=library)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            scan.refresh_from_db()
            if scan.status not in LibraryScan.ACTIVE:
                break
            time.sleep(0.1)
    assert scan.status == LibraryScan.Status.COMPLETED, scan.failure
    assert (scan.seen, scan.added, scan.to_index, scan.indexed) == (5, 5, 5, 5)
    assert MediaFile.objects.count() == 5
