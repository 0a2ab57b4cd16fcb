"""Queueing tasks by name: after commit, through the task registered under the name, routed as by `delay()`."""

import os
import subprocess
import sys

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


@pytest.mark.parametrize("name", ["../etc.passwd", "nosuchapp.ping", ".ping", "core", "", "apps.core.ping"])
def test_names_that_lead_to_no_tasks_module_fail_in_the_caller(name):
    with pytest.raises(LookupError):
        dispatch.task_registered(name)


def test_a_task_is_found_in_its_apps_tasks_module_without_importing_the_others():
    # A fresh interpreter: this one has imported every tasks module already.
    code = (
        "import sys, django; django.setup()\n"
        "from apps.core import dispatch\n"
        "assert dispatch.task_registered('media.duplicates_refresh').name == 'media.duplicates_refresh'\n"
        "assert 'apps.playback.tasks' not in sys.modules, 'every tasks module was imported'\n"
        "assert dispatch.task_registered('libraries.scan_run').name == 'libraries.scan_run'  # apps.scanning's\n"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "revenge.settings"}
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
