"""Writes of the core app: the task-run record kept from Celery signals."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.core.models import TaskRun

ARGS_SUMMARY_LIMIT = 500
ERROR_LIMIT = 10_000


def args_summary(*, args: Any = None, kwargs: Any = None) -> str:
    """A short, readable rendering of a task's arguments for the admin."""
    parts = [repr(a) for a in (args or ())]
    parts += [f"{k}={v!r}" for k, v in (kwargs or {}).items()]
    text = ", ".join(parts)
    return text if len(text) <= ARGS_SUMMARY_LIMIT else text[: ARGS_SUMMARY_LIMIT - 1] + "…"


def task_run_record(*, task_id: str, name: str, state: str, **fields: Any) -> TaskRun:
    """Upsert the run of `task_id`; a late "queued" never overwrites a run already under way."""
    now = timezone.now()
    stamp = {
        TaskRun.State.QUEUED: "queued_at",
        TaskRun.State.STARTED: "started_at",
        TaskRun.State.SUCCESS: "finished_at",
        TaskRun.State.FAILURE: "finished_at",
        TaskRun.State.REVOKED: "finished_at",
    }.get(state)
    if stamp:
        fields.setdefault(stamp, now)
    if "error" in fields:
        fields["error"] = (fields["error"] or "")[-ERROR_LIMIT:]
    for _attempt in range(2):
        try:
            with transaction.atomic():
                run = TaskRun.objects.select_for_update().filter(task_id=task_id).first()
                if run is None:
                    return TaskRun.objects.create(task_id=task_id, name=name[:255], state=state, **fields)
                if state == TaskRun.State.QUEUED and run.state != TaskRun.State.QUEUED:
                    # The worker may record "started" before the publisher records "queued".
                    run.queued_at = run.queued_at or fields.get("queued_at")
                    run.save(update_fields=["queued_at"])
                    return run
                for key, value in fields.items():
                    setattr(run, key, value)
                run.state = state
                run.save()
                return run
        except IntegrityError:
            # Two processes created the row at once: the second attempt updates it.
            continue
    raise RuntimeError(f"could not record task run {task_id}")


def task_runs_prune(*, older_than: timedelta) -> int:
    """Delete finished runs older than `older_than`; return how many went."""
    cutoff = timezone.now() - older_than
    deleted, _ = TaskRun.objects.filter(state__in=TaskRun.FINISHED_STATES, finished_at__lt=cutoff).delete()
    return deleted
