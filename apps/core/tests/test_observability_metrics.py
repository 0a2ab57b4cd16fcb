"""The revenge_* metrics an operator graphs and alerts on: present on /metrics, and moving with the work."""

from __future__ import annotations

import urllib.request

from apps.accounts.models import Role
from apps.core import metrics
from apps.core.testing.clients import client_for
from apps.core.testing.people import user_make
from apps.core.testing.scrape import samples, scrape, value
from apps.core.testing.servers import free_port, wait_until
from apps.core.testing.workers import queues_purge
from apps.core.worker_metrics import worker_metrics_serve
from apps.libraries import services as libraries
from apps.scanning import services as scanning


def test_a_scan_moves_queue_scan_task_and_database_metrics(client, redis_worker, tmp_path, place, settings):
    settings.IMAGES_DIR = tmp_path / "images"
    (tmp_path / "images" / "posters").mkdir(parents=True)
    (tmp_path / "images" / "posters" / "a.jpg").write_bytes(b"x" * 1000)
    place(tmp_path / "movies", "Heat (1995)/Heat (1995).mkv")
    boss = user_make("boss", role=Role.ADMIN)
    library = libraries.library_create(name="Movies", kind="movies", paths=[str(tmp_path / "movies")])
    before = scrape(client)

    response = client_for(boss).post(f"/api/v1/libraries/{library.pk}/scan/", {}, format="json")
    assert response.status_code in (201, 202)
    scan = library.scans.get()
    assert wait_until(lambda: (scan.refresh_from_db() or scan.status) == "completed")
    assert wait_until(
        lambda: value(scrape(client), "revenge_task_runs_total", task="libraries.index_chunk", state="success") > 0
    )
    after = scrape(client)

    assert value(after, "revenge_task_runs_total", task="libraries.scan_run", state="success") == 1 + value(
        before, "revenge_task_runs_total", task="libraries.scan_run", state="success"
    )
    durations = "revenge_task_duration_seconds_count"
    assert value(after, durations, task="libraries.scan_run", state="success") > value(
        before, durations, task="libraries.scan_run", state="success"
    )
    assert value(after, "django_db_query_duration_seconds_count", alias="default", vendor="postgresql") > value(
        before, "django_db_query_duration_seconds_count", alias="default", vendor="postgresql"
    )
    assert value(after, "revenge_scans", status="running", kind="incremental") == 0
    for queue in ("celery", "notifications", "transcode"):
        assert ("revenge_celery_queue_length", frozenset({("queue", queue)})) in after
    assert value(after, "revenge_image_cache_files") == 1 and value(after, "revenge_image_cache_bytes") == 1000
    assert value(after, "revenge_transcode_disk_free_bytes") > 0
    assert value(after, "revenge_playback_sessions", method="transcode", state="playing") == 0
    assert ("revenge_notification_deliveries_waiting", frozenset({("status", "pending")})) in after


def test_work_waiting_in_redis_shows_as_queue_length_and_a_pending_scan(client, transactional_db, tmp_path, place):
    queues_purge("celery")
    place(tmp_path / "movies", "Heat (1995)/Heat (1995).mkv")
    library = libraries.library_create(name="Movies", kind="movies", paths=[str(tmp_path / "movies")])

    scanning.library_scan_enqueue(library=library)  # no worker runs: the message waits

    found = scrape(client)
    assert value(found, "revenge_celery_queue_length", queue="celery") == 1
    assert value(found, "revenge_scans", status="pending", kind="incremental") == 1
    queues_purge("celery")


def test_a_worker_serves_its_own_metrics_on_its_port():
    metrics.counter("test_worker_side_total", "Counted in a worker.").inc()
    port = free_port()
    server = worker_metrics_serve(port, "127.0.0.1")
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as answer:
            found = samples(answer.read().decode())
    finally:
        server.shutdown()
    assert value(found, "revenge_test_worker_side_total") >= 1
