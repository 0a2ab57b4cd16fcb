"""Celery tasks of the playback app: thin wrappers over its services."""

from __future__ import annotations

from celery import shared_task

from apps.playback import services
from apps.playback.hls import transcoding


# A film transcodes for as long as it plays: a day, not the hour other tasks get; the session stops it sooner.
@shared_task(
    name="playback.transcode", acks_late=True, ignore_result=True, time_limit=24 * 3600, soft_time_limit=24 * 3600 - 60
)
def transcode(session_id: str, generation: int) -> str:
    """Write the HLS segments of one session's transcode (queue `transcode`)."""
    return transcoding.transcode_run(session_id=session_id, generation=generation)


@shared_task(name="playback.sessions_idle_stop")
def sessions_idle_stop() -> int:
    """Every minute: stop sessions nobody played for REVENGE_TRANSCODE_IDLE_MINUTES and remove their files."""
    return services.sessions_idle_stop()


@shared_task(name="playback.rows_warm", acks_late=True, ignore_result=True, console_retry=True)
def rows_warm(library_id: int) -> int:
    """After a scan: compute the home rows of the active users who see the library."""
    # Lazy: the rows load the catalogue's API serializers, and every process that queues this task (a scan
    # command, after each scan that changed files) imports this module to find it; workers pay it once.
    from apps.playback import watch_rows

    return watch_rows.rows_warm(library_id=library_id)
