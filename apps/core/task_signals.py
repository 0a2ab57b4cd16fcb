"""Celery signal handlers that keep `TaskRun` rows; a failure here never fails the task itself."""

from __future__ import annotations

import logging
from typing import Any

from celery import current_app, signals

from apps.core import metrics, services
from apps.core.access_log import RedactQueryFilter
from apps.core.models import TaskRun

logger = logging.getLogger(__name__)
task_runs_total = metrics.counter("task_runs_total", "Celery task runs that ended, by state.", ["task", "state"])


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


@signals.task_prerun.connect
def on_started(task_id: str = "", task: Any = None, args: Any = None, kwargs: Any = None, **_: Any) -> None:
    request = task.request
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
