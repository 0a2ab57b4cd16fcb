"""Per-task metrics under a real worker: a task running shows, and a failure is counted per task and timed."""

from __future__ import annotations

import threading

from apps.core.testing.scrape import scrape, value
from apps.core.testing.servers import wait_until
from revenge.celery import app

NAME = "obs_tests.held_then_failing"
released = threading.Event()


@app.task(name=NAME)
def held_then_failing(reason: str) -> None:
    released.wait(timeout=60)  # the worker runs in this process: the test lets it go after it looked
    raise ValueError(reason)


def test_a_running_task_shows_and_its_failure_is_counted_per_task(client, redis_worker):
    released.clear()
    before = scrape(client)
    # A hostile reason ends up in the task's error, never in a label.
    held_then_failing.delay("boom \x00 ' OR 1=1 -- " + "x" * 5000)
    assert wait_until(lambda: value(scrape(client), "revenge_tasks_running", task=NAME) == 1, timeout=30)
    released.set()
    assert wait_until(
        lambda: (
            value(scrape(client), "revenge_task_runs_total", task=NAME, state="failure")
            == 1 + value(before, "revenge_task_runs_total", task=NAME, state="failure")
        ),
        timeout=30,
    )
    after = scrape(client)
    assert value(after, "revenge_tasks_running", task=NAME) == 0
    assert value(after, "revenge_task_runs_total", task=NAME, state="success") == 0
    durations = "revenge_task_duration_seconds_count"
    assert value(after, durations, task=NAME, state="failure") == 1 + value(
        before, durations, task=NAME, state="failure"
    )
    assert not any("OR 1=1" in str(labels) for (_name, labels) in after)
