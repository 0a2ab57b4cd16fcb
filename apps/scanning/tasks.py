"""Celery tasks of the scanning app: thin wrappers over services.

They keep the names they had in the libraries app, so queued tasks and beat schedules of existing databases
still find them.
"""

from __future__ import annotations

from celery import shared_task

from apps.libraries.models import Library, LibraryScan
from apps.scanning import services

RETRY = {"autoretry_for": (OSError,), "retry_backoff": 10, "retry_backoff_max": 600, "max_retries": 5}


@shared_task(name="libraries.scan_run", acks_late=True)
def library_scan_run(scan_id: int) -> None:
    """Walk and diff in one worker, then fan the indexing out in chunks."""
    scan = LibraryScan.objects.select_related("library").filter(pk=scan_id).first()
    if scan is not None:
        services.scan_run(scan=scan, fanout=True)


@shared_task(name="libraries.index_chunk", acks_late=True, **RETRY)
def library_index_chunk(scan_id: int, paths: list[str]) -> None:
    """Index one chunk of a scan's files; a cancelled or finished scan is left alone."""
    scan = LibraryScan.objects.select_related("library").filter(pk=scan_id, status=LibraryScan.Status.RUNNING).first()
    if scan is None:
        return
    try:
        services.scan_index_paths(scan=scan, paths=paths)
    except OSError:
        raise  # retried with backoff
    except Exception as exc:
        services.scan_fail(scan=scan, reason=f"indexing failed: {type(exc).__name__}: {exc}")
        raise
    services.scan_finish_if_done(scan=scan)


@shared_task(name="libraries.scan_due")
def libraries_scan_due() -> list[int]:
    """The periodic safety net: start an incremental scan of every library whose interval has passed."""
    return services.libraries_scan_due()


@shared_task(
    name="libraries.paths_sync",
    bind=True,
    acks_late=True,
    autoretry_for=(services.ScanAlreadyRunningError, OSError),
    retry_backoff=1,
    retry_backoff_max=30,
    retry_jitter=True,
    max_retries=2000,  # waits out a long scan holding the library's lock: ~16 h at the longest backoff
)
def library_paths_sync(self, library_id: int, paths: list[str], forced: list[str] | None = None) -> int | None:
    """The watcher's batch: bring these paths of the library up to date; returns the watch scan's id."""
    library = Library.objects.filter(pk=library_id, enabled=True).first()
    if library is None:
        return None
    return services.library_paths_sync(library=library, paths=paths, forced=forced or ()).pk
