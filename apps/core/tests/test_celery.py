"""Celery round trips on both brokers, and the task-run record operators see in the admin."""

import time
from datetime import timedelta

import pytest
from celery import Celery, shared_task
from celery.contrib.testing.worker import start_worker
from django.utils import timezone

from apps.core import services, tasks
from apps.core.models import TaskRun
from revenge.celery import app, embedded_broker_dirs


@shared_task(name="core.tests.explode")
def explode(reason: str) -> None:
    raise ValueError(reason)


def settled_run(task_id: str, state: str) -> TaskRun:
    """The worker records the end of a run just after it stores the result: wait for that record."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        run = TaskRun.objects.filter(task_id=task_id).first()
        if run is not None and run.state == state:
            return run
        time.sleep(0.05)
    raise AssertionError(f"task {task_id} not recorded as {state}: {run and run.state}")


def test_round_trip_through_redis_is_recorded(redis_worker):
    result = tasks.ping.delay("hello")
    assert result.get(timeout=20) == "hello"
    run = settled_run(result.id, TaskRun.State.SUCCESS)
    assert run.name == "core.ping"
    assert run.args_summary == "'hello'"
    assert run.queued_at and run.started_at and run.finished_at
    assert run.duration is not None and run.duration >= timedelta(0)


def test_a_failing_task_is_recorded_with_its_error(redis_worker):
    result = explode.delay("the disk is on fire")
    with pytest.raises(ValueError, match="the disk is on fire"):
        result.get(timeout=20)
    run = settled_run(result.id, TaskRun.State.FAILURE)
    assert "ValueError: the disk is on fire" in run.error


def test_round_trip_through_the_embedded_filesystem_broker(tmp_path, transactional_db):
    embedded = Celery("revenge-embedded")
    embedded.conf.update(
        broker_url="filesystem://localhost//",
        broker_transport_options={
            "data_folder_in": str(tmp_path / "queue"),
            "data_folder_out": str(tmp_path / "queue"),
            "control_folder": str(tmp_path / "control"),
        },
        result_backend=f"file://{tmp_path / 'results'}",
        task_serializer="json",
        accept_content=["json"],
    )
    for folder in embedded_broker_dirs(embedded.conf):
        folder.mkdir(parents=True, exist_ok=True)
    embedded.task(name="core.ping")(tasks.ping.run)
    with start_worker(embedded, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        result = embedded.send_task("core.ping", args=["over files"])
        assert result.get(timeout=20) == "over files"
        settled_run(result.id, TaskRun.State.SUCCESS)


def test_no_broker_folders_with_redis():
    assert embedded_broker_dirs(app.conf) == []


@pytest.mark.django_db
def test_a_late_queued_record_does_not_undo_a_started_run():
    services.task_run_record(task_id="t1", name="core.ping", state=TaskRun.State.STARTED, worker="w1")
    run = services.task_run_record(task_id="t1", name="core.ping", state=TaskRun.State.QUEUED)
    assert run.state == TaskRun.State.STARTED
    assert run.queued_at is not None
    assert TaskRun.objects.count() == 1


@pytest.mark.django_db
def test_prune_forgets_only_old_finished_runs():
    old = timezone.now() - timedelta(days=40)
    TaskRun.objects.create(task_id="old", name="x", state=TaskRun.State.SUCCESS, finished_at=old)
    TaskRun.objects.create(task_id="old-running", name="x", state=TaskRun.State.STARTED, started_at=old)
    TaskRun.objects.create(task_id="new", name="x", state=TaskRun.State.FAILURE, finished_at=timezone.now())
    assert tasks.task_runs_prune() == 1
    assert set(TaskRun.objects.values_list("task_id", flat=True)) == {"old-running", "new"}


def test_args_summary_is_short_and_readable():
    assert services.args_summary(args=[1, "a"], kwargs={"full": True}) == "1, 'a', full=True"
    long = services.args_summary(args=["x" * 2000])
    assert len(long) == services.ARGS_SUMMARY_LIMIT and long.endswith("…")
