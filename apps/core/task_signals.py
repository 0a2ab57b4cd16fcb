"""Celery signal handlers that keep `TaskRun` rows; a failure here never fails the task itself."""

from __future__ import annotations

import contextlib
import logging
import time
from typing import Any

from celery import current_app, signals
from django.conf import settings

from apps.core import logcontext, metrics, services
from apps.core.access_log import RedactQueryFilter
from apps.core.models import TaskRun

logger = logging.getLogger(__name__)
task_runs_total = metrics.counter("task_runs_total", "Celery task runs that ended, by state.", ["task", "state"])
task_duration = metrics.histogram(
    "task_duration_seconds",
    "How long Celery task runs took, by task and state.",
    ["task", "state"],
    buckets=(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600),
)
tasks_running = metrics.gauge("tasks_running", "Celery tasks running now, by task.", ["task"])
# task id -> (monotonic start, the context-variable token to reset): per process, entries live one task long.
_running: dict[str, tuple[float, Any]] = {}


def _recorded(name: str | None) -> bool:
    """Tasks that keep a log of their own set `record_runs = False` (notification deliveries: dozens a second)."""
    return getattr(current_app.tasks.get(name or ""), "record_runs", True)


def _record(**kwargs: Any) -> None:
    if not _recorded(kwargs.get("name")):
        return
    try:
        services.task_run_record(**kwargs)
    except Exception:
        logger.exception("could not record task run %s", kwargs.get("task_id"))


@signals.after_task_publish.connect
def on_published(sender: str | None = None, headers: dict | None = None, body: Any = None, **_: Any) -> None:
    headers = headers or {}
    if not headers.get("id"):
        return
    args, kwargs = (body[0], body[1]) if isinstance(body, (list, tuple)) and len(body) >= 2 else ((), {})
    _record(
        task_id=headers["id"],
        name=headers.get("task") or sender or "?",
        state=TaskRun.State.QUEUED,
        args_summary=services.args_summary(args=args, kwargs=kwargs),
    )


@signals.before_task_publish.connect
def carry_request_id(headers: dict | None = None, **_: Any) -> None:
    """The task's log lines carry the id of the request (or task) that queued it."""
    request_id = logcontext.request_id_current()
    if headers is not None and request_id:
        headers.setdefault(logcontext.TASK_HEADER, request_id)


def _ended(task_id: str, name: str, state: str) -> None:
    started, token = _running.pop(task_id, (None, None))
    if started is None:
        return
    task_duration.labels(task=name, state=state).observe(time.monotonic() - started)
    tasks_running.labels(task=name).dec()
    # ValueError: reset from another context than the one that set it (an eager task inside a request).
    with contextlib.suppress(ValueError):
        logcontext.request_id_var.reset(token)


@signals.task_prerun.connect
def on_started(task_id: str = "", task: Any = None, args: Any = None, kwargs: Any = None, **_: Any) -> None:
    request = task.request
    token = logcontext.request_id_var.set(
        logcontext.request_id_new(getattr(request, logcontext.TASK_HEADER, None) or task_id)
    )
    _running[task_id] = (time.monotonic(), token)
    tasks_running.labels(task=task.name).inc()
    _record(
        task_id=task_id,
        name=task.name,
        state=TaskRun.State.STARTED,
        args_summary=services.args_summary(args=args, kwargs=kwargs),
        worker=request.hostname or "",
        retries=request.retries or 0,
        error="",
    )


@signals.task_retry.connect
def on_retry(request: Any = None, reason: Any = None, **_: Any) -> None:
    _record(task_id=request.id, name=request.task, state=TaskRun.State.RETRY, error=str(reason))


@signals.task_postrun.connect
def on_finished(task_id: str = "", task: Any = None, state: str | None = None, **_: Any) -> None:
    if state == "SUCCESS":
        _record(task_id=task_id, name=task.name, state=TaskRun.State.SUCCESS)
        task_runs_total.labels(task=task.name, state="success").inc()
    _ended(task_id, task.name, (state or "unknown").lower())


@signals.task_failure.connect
def on_failed(task_id: str = "", sender: Any = None, exception: Any = None, einfo: Any = None, **_: Any) -> None:
    error = str(einfo) if einfo else repr(exception)
    _record(task_id=task_id, name=getattr(sender, "name", "?"), state=TaskRun.State.FAILURE, error=error)
    task_runs_total.labels(task=getattr(sender, "name", "?"), state="failure").inc()


@signals.task_revoked.connect
def on_revoked(request: Any = None, **_: Any) -> None:
    if request is not None:
        _record(task_id=request.id, name=request.task, state=TaskRun.State.REVOKED)


@signals.after_setup_logger.connect
@signals.after_setup_task_logger.connect
def _logs_redacted(logger: logging.Logger, **kwargs: Any) -> None:
    """Celery replaces the root handlers of settings.LOGGING: its own get the same credential redaction."""
    for handler in logger.handlers:
        if not any(isinstance(f, RedactQueryFilter) for f in handler.filters):
            handler.addFilter(RedactQueryFilter())
        if not any(isinstance(f, logcontext.ContextFilter) for f in handler.filters):
            handler.addFilter(logcontext.ContextFilter())
            if settings.LOG_FORMAT == "json":
                handler.setFormatter(logcontext.json_formatter())
