"""Task runs as operators read them: housekeeping (the beat's periodic work) apart, and a failed run queued again
when its task allows it (`console_retry=True`: idempotent, with plain arguments)."""

from __future__ import annotations

import ast
from typing import Any

from django.conf import settings

from apps.core import dispatch
from apps.core.models import TaskRun

TRUNCATED = "…"


class RetryRefused(Exception):
    """This run cannot be queued again; `str()` says why, for the operator."""


def housekeeping_names() -> set[str]:
    """The tasks the beat runs on a schedule (pruning, sweeps, polls), and the health ping."""
    return {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()} | {"core.ping"}


def task_area(name: str) -> str:
    """The app a task belongs to, by its name's prefix ("libraries.scan_run" → "libraries")."""
    return name.partition(".")[0]


def arguments_of(summary: str) -> tuple[tuple, dict[str, Any]]:
    """The arguments recorded in `args_summary`, when it holds them whole and as plain literals; else ValueError."""
    if summary.endswith(TRUNCATED):
        raise ValueError("its arguments were too long to keep")
    try:
        call = ast.parse(f"_({summary})", mode="eval").body
        if not isinstance(call, ast.Call):
            raise ValueError("not a call")
        args = tuple(ast.literal_eval(node) for node in call.args)
        kwargs = {kw.arg: ast.literal_eval(kw.value) for kw in call.keywords if kw.arg}
    except (SyntaxError, ValueError) as exc:
        raise ValueError("its arguments were not kept as plain values") from exc
    if len(kwargs) != len(call.keywords):
        raise ValueError("its arguments were not kept as plain values")
    return args, kwargs


def retry_refusal(*, run: TaskRun) -> str:
    """Why the run cannot be queued again, or "" when it can."""
    if run.state != TaskRun.State.FAILURE:
        return f"it is {run.get_state_display().lower()}, not failed"
    try:
        task = dispatch.task_registered(run.name)
    except LookupError:
        return f"no task {run.name} is known any more"
    if not getattr(task, "console_retry", False):
        return f"{run.name} is not safe to run again by hand"
    try:
        arguments_of(run.args_summary)
    except ValueError as exc:
        return str(exc)
    return ""


def task_run_retry(*, run: TaskRun) -> None:
    """Queue the failed run's task again with the same arguments; RetryRefused says why not."""
    refusal = retry_refusal(run=run)
    if refusal:
        raise RetryRefused(refusal)
    args, kwargs = arguments_of(run.args_summary)
    dispatch.task_enqueue(run.name, args=args, kwargs=kwargs, on_commit=False)
