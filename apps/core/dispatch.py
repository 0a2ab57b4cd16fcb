"""Queue Celery tasks by their registered name, so a service never imports the tasks module that calls it.

The task object registered under the name sends it, so its own options (ignore_result, routing by name in
CELERY_TASK_ROUTES) apply exactly as they do to `task.delay()`.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from typing import Any

from celery import Task, current_app
from celery.result import AsyncResult
from django.db import transaction


def task_registered(name: str) -> Task:
    """The task registered as `name`; the apps' tasks modules are imported the first time one is needed."""
    if name not in current_app.tasks:
        _import_tasks_of(name)
    if name not in current_app.tasks:
        # A web process imports no tasks module of its own accord: import each installed app's, as a worker does.
        current_app.autodiscover_tasks(force=True)
    try:
        return current_app.tasks[name]
    except KeyError:
        raise LookupError(f"no Celery task is registered as {name!r}") from None


def _import_tasks_of(name: str) -> None:
    """Import apps.<prefix>.tasks for a task named "<prefix>.<task>", where most tasks live: importing every
    app's tasks module (playback, requests, ...) took a tenth of a scan command's time for its one task."""
    prefix = name.partition(".")[0]
    if not prefix.isidentifier():
        return
    try:
        importlib.import_module(f"apps.{prefix}.tasks")
    except ModuleNotFoundError as exc:
        if exc.name not in (f"apps.{prefix}", f"apps.{prefix}.tasks"):
            raise  # the module exists but an import inside it is broken: say so, not "no such task"


def task_enqueue(
    name: str,
    *,
    args: Sequence[Any] = (),
    kwargs: dict[str, Any] | None = None,
    on_commit: bool = True,
    using: str = "default",
    **options: Any,
) -> AsyncResult | None:
    """Queue the task `name`: after the current transaction commits, or at once with on_commit=False.

    `options` go to `apply_async` (countdown, ...). Returns the result handle only when sent at once.
    """
    task = task_registered(name)  # now, so a misspelt name fails in the caller, not silently after commit
    arguments, keywords = tuple(args), dict(kwargs or {})

    def send() -> AsyncResult:
        return task.apply_async(arguments, keywords, **options)

    if not on_commit:
        return send()
    transaction.on_commit(send, using=using)
    return None
