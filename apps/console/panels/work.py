"""Work in progress: running scans with progress and files/s, metadata refreshes, transcodes, and health dots."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from apps.console.panels import status
from apps.core.models import TaskRun
from apps.libraries.models import LibraryScan
from apps.playback.models import PlaybackSession
from apps.playback.selectors import sessions_live, sessions_visible_to
from apps.scanning.selectors import scans_visible_to

VIEW_TASK_RUNS = "core.view_taskrun"
METADATA_TASKS = ("metadata.refresh", "metadata.refresh_due")
TRANSCODING = (PlaybackSession.TranscodeState.QUEUED, PlaybackSession.TranscodeState.RUNNING)


@dataclass
class ScanRow:
    scan: LibraryScan
    percent: int
    files_per_second: float | None
    phase: str


def scan_row(scan: LibraryScan, now) -> ScanRow:
    """A scan as the console shows it: percent done, files per second so far, and what it is doing."""
    end = scan.finished_at or now
    elapsed = (end - scan.started_at).total_seconds() if scan.started_at else 0
    done = scan.indexed if scan.walked else scan.seen
    if scan.status == LibraryScan.Status.PENDING:
        phase = "waiting for a worker"
    elif scan.status not in LibraryScan.ACTIVE:
        phase = scan.get_status_display().lower()
    else:
        phase = f"indexing {scan.indexed} of {scan.to_index}" if scan.walked else f"walking: {scan.seen} files seen"
    return ScanRow(
        scan=scan,
        percent=round(100 * scan.progress),
        files_per_second=round(done / elapsed, 1) if elapsed > 0 and done else None,
        phase=phase,
    )


def build(*, user) -> dict:
    now = timezone.now()
    scans = scans_visible_to(user=user).filter(status__in=LibraryScan.ACTIVE).order_by("created_at")
    refreshes = (
        list(TaskRun.objects.filter(name__in=METADATA_TASKS, state=TaskRun.State.STARTED).order_by("-started_at")[:10])
        if user.has_perm(VIEW_TASK_RUNS)
        else []
    )
    transcodes = list(
        sessions_live(sessions=sessions_visible_to(user=user))
        .filter(transcode_state__in=TRANSCODING)
        .order_by("-started_at")[:20]
    )
    return {
        "scans": [scan_row(scan, now) for scan in scans],
        "refreshes": refreshes,
        "transcodes": transcodes,
        # The processes' health is the server's, not any library's: for those who may read task runs (admins).
        "dots": status.dots() if user.has_perm(VIEW_TASK_RUNS) else [],
    }
