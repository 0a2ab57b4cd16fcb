"""Queueing tasks by name: after commit, through the task registered under the name, routed as by `delay()`."""

import pytest

from apps.core import dispatch
from apps.core.testing.workers import running_worker


def test_every_apps_tasks_are_registered_when_one_is_asked_for():
    assert dispatch.task_registered("playback.transcode").name == "playback.transcode"
    assert dispatch.task_registered("notifications.deliver").ignore_result


def test_a_misspelt_name_fails_in_the_caller():
    with pytest.raises(LookupError, match="pnig"):
        dispatch.task_enqueue("core.pnig", args=("x",))


def test_a_task_waits_for_the_commit(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        assert dispatch.task_enqueue("core.ping", args=("later",)) is None
    assert len(callbacks) == 1  # sent by this callback, which a rollback would drop


def test_a_task_sent_at_once_runs_in_a_real_worker(transactional_db):
    with running_worker("celery", concurrency=1):
        assert dispatch.task_enqueue("core.ping", args=("now",), on_commit=False).get(timeout=20) == "now"
