"""The long-running watcher: inotify watches on every enabled library with realtime monitoring on.

Events become paths in a stability tracker, complete files become batches per library, and each batch
is a `libraries.paths_sync` task (scanning's, under its old name): the same services as a scan, for just
those paths. Lost events (queue overflow, no watches left) and lost roots turn into scans of the library, never silence.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import DatabaseError, close_old_connections
from django.utils import timezone

from apps.core import dispatch, metrics
from apps.libraries.models import Library, WatcherStatus
from apps.scanning.path_sync import is_watched_path, root_of
from apps.scanning.services import ScanAlreadyRunningError, library_scan_enqueue
from apps.scanning.sidecars import classify
from apps.scanning.walker import FileStat, walk
from apps.scanning.watcher.batcher import Batcher
from apps.scanning.watcher.tracker import StabilityTracker

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)  # pyinotify imports asyncore, which it does not use here
    import pyinotify

logger = logging.getLogger("revenge.watcher")

MASK = (
    pyinotify.IN_CLOSE_WRITE
    | pyinotify.IN_CREATE
    | pyinotify.IN_DELETE
    | pyinotify.IN_MOVED_FROM
    | pyinotify.IN_MOVED_TO
    | pyinotify.IN_DELETE_SELF
    | pyinotify.IN_MOVE_SELF
    | pyinotify.IN_UNMOUNT
)
ROOT_LOST = pyinotify.IN_DELETE_SELF | pyinotify.IN_MOVE_SELF | pyinotify.IN_UNMOUNT | pyinotify.IN_IGNORED
SIDECARS = ("subtitle", "nfo", "image")
SIDECAR_DONE = pyinotify.IN_CLOSE_WRITE | pyinotify.IN_MOVED_TO | pyinotify.IN_MOVED_FROM | pyinotify.IN_DELETE
MAX_FORCED = 500  # videos re-read because a sidecar beside or above them changed
SHOW_LEVEL = {"tvshow.nfo", "poster.jpg", "fanart.jpg", "banner.jpg", "folder.jpg", "logo.png", "clearlogo.png"}
WARNINGS_KEPT = 20

events_total = metrics.counter("watcher_events_total", "Filesystem events the watcher handled.", ["kind"])
batches_total = metrics.counter("watcher_batches_total", "Batches of paths the watcher sent to the workers.")


@dataclass(frozen=True)
class Change:
    """One inotify event, as the watcher needs it."""

    mask: int
    path: str
    is_dir: bool = False
    cookie: int = 0
    wd: int = -1

    @classmethod
    def from_event(cls, event: pyinotify.Event) -> Change:
        # An overflow event carries only its mask.
        path = getattr(event, "pathname", "") or ""
        is_dir = bool(getattr(event, "dir", False))
        return cls(event.mask, path, is_dir, getattr(event, "cookie", 0) or 0, getattr(event, "wd", -1))


def dispatch_task(library_id: int, paths: list[str], forced: list[str]) -> None:
    dispatch.task_enqueue("libraries.paths_sync", args=(library_id, paths, forced), on_commit=False)


def scan_task(library: Library) -> None:
    library_scan_enqueue(library=library)


def sidecar_videos(path: str) -> list[str]:
    """The videos a sidecar belongs to: those named like it (Movie.en.srt -> Movie.mkv), else every video
    of its folder; a show's tvshow.nfo or artwork reaches into its season folders too.
    """
    folder, name = os.path.split(path)
    stem = name.split(".", 1)[0].casefold()
    try:
        with os.scandir(folder) as entries:
            here = sorted(e.path for e in entries if e.is_file() and classify(e.name) == "video")
    except OSError:
        return []
    named = [v for v in here if os.path.basename(v).casefold().startswith(stem + ".")]
    if named:
        return named[:MAX_FORCED]
    if name.casefold() in SHOW_LEVEL or not here:
        videos = [found.path for found in walk(folder) if isinstance(found, FileStat)]
        return videos[:MAX_FORCED]
    return here[:MAX_FORCED]


class _Handler(pyinotify.ProcessEvent):
    def my_init(self, watcher: LibraryWatcher) -> None:
        self.watcher = watcher

    def process_default(self, event: pyinotify.Event) -> None:
        self.watcher.handle(Change.from_event(event))

    def process_IN_Q_OVERFLOW(self, event: pyinotify.Event) -> None:
        # pyinotify's own handler of this event only logs it, and it never reaches process_default.
        self.watcher.handle(Change.from_event(event))


class LibraryWatcher:
    """Watches the libraries' folders; `run()` until stopped, or `step()` for one round."""

    def __init__(
        self,
        *,
        dispatch: Callable[[int, list[str], list[str]], None] = dispatch_task,
        scan: Callable[[Library], None] = scan_task,
        stable_seconds: float | None = None,
        reload_seconds: float = 5.0,
        status_seconds: float = 5.0,
        missing_poll_seconds: float = 10.0,
        scan_at_start: bool = True,
    ) -> None:
        self.dispatch, self.scan = dispatch, scan
        stable = settings.WATCH_STABLE_SECONDS if stable_seconds is None else stable_seconds
        self.tracker = StabilityTracker(stable)
        self.batcher = Batcher(settle=min(0.25, stable / 2 or 0.1))
        self.reload_seconds, self.status_seconds = reload_seconds, status_seconds
        self.missing_poll_seconds, self.scan_at_start = missing_poll_seconds, scan_at_start
        self.manager = pyinotify.WatchManager()
        self.notifier = pyinotify.Notifier(self.manager, default_proc_fun=_Handler(watcher=self), timeout=100)
        self.roots: dict[str, set[int]] = {}  # watched root -> library ids
        self.root_wds: dict[int, str] = {}  # watch descriptor of each root
        self.missing: dict[str, set[int]] = {}  # roots that are gone or unmounted -> library ids
        self.libraries: dict[int, str] = {}
        self.rescans: set[int] = set()
        self.warnings: list[dict] = []
        self.events_seen, self.last_event, self.last_event_at = 0, "", None
        self.name = f"{socket.gethostname()}:{os.getpid()}"
        self.started_at = timezone.now()
        self._next_reload = self._next_status = self._next_poll = 0.0
        self._stop = threading.Event()
        self._reconciled = False

    # --- the loop -------------------------------------------------------------------------------------

    def run(self, *, until: float | None = None) -> None:
        """Watch until `stop()` (or until the monotonic time `until`); the status row goes with the watcher."""
        try:
            while not self._stop.is_set() and (until is None or time.monotonic() < until):
                self.step()
        finally:
            self._forget_status()
            self.notifier.stop()

    def stop(self) -> None:
        self._stop.set()

    def step(self, timeout_ms: int = 100) -> None:
        """Read what inotify has, then send what is complete; reload libraries and status now and then."""
        now = time.monotonic()
        if now >= self._next_reload:
            self._next_reload = now + self.reload_seconds
            self._guarded(self.reconcile)
        if self.notifier.check_events(timeout_ms):
            self.notifier.read_events()
            self.notifier.process_events()
        for path in self.tracker.ready():
            for library_id, _root in self._owners(path):
                self.batcher.add(library_id, path)
        # An unpaired move-out waits for files still settling: a folder moved into a brand-new folder
        # shows up as new files there, and joins the move-out's batch so that its files keep their ids.
        for library_id, paths, forced in self.batcher.due(self._settling):
            self._guarded(lambda lib=library_id, p=paths, f=forced: self._send(lib, p, f))
        if self.rescans:
            self._guarded(self._start_rescans)
        if now >= self._next_poll:
            self._next_poll = now + self.missing_poll_seconds
            self._guarded(self._poll_missing)
        if now >= self._next_status:
            self._next_status = now + self.status_seconds
            self._guarded(self.status_write)

    def _guarded(self, action: Callable[[], object]) -> None:
        # A database or broker outage must not kill the watcher: log, drop stale connections, go on.
        try:
            action()
        except DatabaseError:
            logger.exception("watcher: database error; retrying on the next round")
            close_old_connections()
        except Exception:
            logger.exception("watcher: unexpected error; going on")

    def _send(self, library_id: int, paths: list[str], forced: list[str]) -> None:
        batches_total.inc()
        logger.info("watcher: %d paths of library %s to index", len(paths), self.libraries.get(library_id, library_id))
        self.dispatch(library_id, paths, forced)

    # --- libraries and their roots --------------------------------------------------------------------

    def reconcile(self) -> None:
        """Watch the roots of enabled, realtime libraries; drop what is gone; scan libraries new to us."""
        wanted: dict[str, set[int]] = {}
        libraries = Library.objects.filter(enabled=True, realtime_monitoring=True).prefetch_related("folders")
        names = {}
        for library in libraries:
            names[library.pk] = library.name
            for root in library.paths:
                wanted.setdefault(os.path.normpath(root), set()).add(library.pk)
        new_libraries = [lib for lib in libraries if lib.pk not in self.libraries]
        self.libraries = names
        for root in [r for r in self.roots if r not in wanted]:
            self._unwatch(root)
            del self.roots[root]
        for root in [r for r in self.missing if r not in wanted]:
            del self.missing[root]
        for root, ids in wanted.items():
            if root in self.roots:
                self.roots[root] = ids
            elif root in self.missing:
                self.missing[root] = ids
            else:
                self._watch(root, ids)
        if self.scan_at_start or self._reconciled:  # libraries added while running are scanned too
            self.rescans.update(library.pk for library in new_libraries)
        self._reconciled = True

    def _watch(self, root: str, ids: set[int]) -> None:
        if not os.path.isdir(root):
            self.missing[root] = ids
            self.warn(f"library folder {root} is not reachable; watching for it to come back")
            return
        added = self.manager.add_watch(root, MASK, rec=True, auto_add=True, quiet=True)
        self.roots[root] = ids
        if added.get(root, -1) >= 0:
            self.root_wds[added[root]] = root
        failed = [path for path, wd in added.items() if wd < 0]
        if failed:
            self.warn(
                f"{len(failed)} folders under {root} could not be watched (inotify watch limit, "
                "fs.inotify.max_user_watches?); the library is rescanned and scanned periodically"
            )
            self.rescans.update(ids)

    def _unwatch(self, root: str) -> None:
        for wd, watched in list(self.root_wds.items()):
            if watched == root:
                del self.root_wds[wd]
                if wd in self.manager.watches:
                    self.manager.rm_watch(wd, rec=True, quiet=True)

    def _settling(self, library_id: int) -> bool:
        return self.tracker.waiting_under([root for root, ids in self.roots.items() if library_id in ids])

    def _owners(self, path: str) -> list[tuple[int, str]]:
        """(library id, root) of every watched library holding `path`, hidden folders excluded."""
        root = root_of(path, self.roots)
        if root is None or not is_watched_path(path, root):
            return []
        return [(library_id, root) for library_id in sorted(self.roots[root])]

    def _root_lost(self, root: str) -> None:
        if root not in self.roots:
            return  # already known to be gone (a deleted root sends several events)
        ids = self.roots.pop(root)
        self._unwatch(root)
        self.missing[root] = ids
        self.warn(f"library folder {root} disappeared (deleted or unmounted); its files are kept until it returns")

    def _poll_missing(self) -> None:
        for root, ids in list(self.missing.items()):
            try:
                back = os.path.isdir(root) and any(os.scandir(root))
            except OSError:
                back = False
            if back:
                del self.missing[root]
                self._watch(root, ids)
                self.warn(f"library folder {root} is back; rescanning")
                self.rescans.update(ids)

    def _start_rescans(self) -> None:
        for library in Library.objects.filter(pk__in=list(self.rescans), enabled=True):
            try:
                self.scan(library)
            except ScanAlreadyRunningError:
                continue  # a scan that began earlier may have missed the change: start one after it
            self.rescans.discard(library.pk)
        self.rescans &= set(self.libraries)

    # --- events ---------------------------------------------------------------------------------------

    def handle(self, change: Change) -> None:
        self.events_seen += 1
        self.last_event_at = timezone.now()
        self.last_event = f"{pyinotify.EventsCodes.maskname(change.mask)} {change.path}"[:500]
        if change.mask & pyinotify.IN_Q_OVERFLOW:
            events_total.labels(kind="overflow").inc()
            self.warn("inotify event queue overflowed: events were lost; rescanning every watched library")
            self.rescans.update(self.libraries)
            return
        path = os.path.normpath(change.path) if change.path else ""
        lost_root = path if path in self.roots else self.root_wds.get(change.wd)
        if lost_root is not None and change.mask & ROOT_LOST and (path == lost_root or change.wd >= 0):
            events_total.labels(kind="root_lost").inc()
            self._root_lost(lost_root)
            return
        if change.mask & (ROOT_LOST | pyinotify.IN_IGNORED) or not path:
            return  # a sub-folder's own end: its parent's event covers it
        owners = self._owners(path)
        if not owners:
            return
        if change.is_dir:
            events_total.labels(kind="folder").inc()
            self._folder_changed(change, path, owners)
            return
        kind = classify(os.path.basename(path))
        if kind == "video":
            events_total.labels(kind="video").inc()
            self._video_changed(change, path, owners)
        elif kind in SIDECARS and change.mask & SIDECAR_DONE:
            events_total.labels(kind="sidecar").inc()
            self._sidecar_changed(path, owners)

    def _video_changed(self, change: Change, path: str, owners: list[tuple[int, str]]) -> None:
        mask = change.mask
        if mask & pyinotify.IN_CREATE:
            self.tracker.touch(path, created=True)
        elif mask & pyinotify.IN_CLOSE_WRITE:
            self.tracker.touch(path, closed=True)
        for library_id, _root in owners:
            if mask & pyinotify.IN_MOVED_FROM:
                self.batcher.moved_from(library_id, path, change.cookie)
            elif mask & pyinotify.IN_MOVED_TO:
                self.batcher.moved_to(library_id, path, change.cookie)
            elif mask & pyinotify.IN_DELETE:
                self.batcher.add(library_id, path)

    def _folder_changed(self, change: Change, path: str, owners: list[tuple[int, str]]) -> None:
        mask = change.mask
        if mask & pyinotify.IN_CREATE:
            # Files may have landed before the new folder's watch existed: each waits to be complete.
            for found in walk(path):
                if isinstance(found, FileStat):
                    self.tracker.touch(found.path)
            if self.manager.get_wd(path) is None and os.path.isdir(path):
                self.warn(f"new folder {path} could not be watched (inotify watch limit?); rescanning")
                self.rescans.update(library_id for library_id, _root in owners)
            return
        for library_id, _root in owners:
            if mask & pyinotify.IN_MOVED_FROM:
                self.batcher.moved_from(library_id, path, change.cookie)
            elif mask & pyinotify.IN_MOVED_TO:
                self.batcher.moved_to(library_id, path, change.cookie)
            elif mask & pyinotify.IN_DELETE:
                self.batcher.add(library_id, path)

    def _sidecar_changed(self, path: str, owners: list[tuple[int, str]]) -> None:
        """An NFO, subtitle or image changed: the videos it belongs to are read again."""
        for library_id, _root in owners:
            for video in sidecar_videos(path):
                self.batcher.add(library_id, video, forced=True)

    # --- state for operators ---------------------------------------------------------------------------

    def warn(self, message: str) -> None:
        logger.warning("watcher: %s", message)
        self.warnings = [{"at": timezone.now().isoformat(), "message": message}, *self.warnings][:WARNINGS_KEPT]

    def status(self) -> dict:
        per_root = {}
        for root in self.roots:
            wd = self.manager.get_wd(root)
            per_root[root] = sum(1 for w in self.manager.watches.values() if w.path.startswith(root)) if wd else 0
        libraries = []
        for library_id, name in sorted(self.libraries.items()):
            roots = [r for r, ids in {**self.roots, **self.missing}.items() if library_id in ids]
            state = "missing" if any(r in self.missing for r in roots) else "watching"
            libraries.append(
                {
                    "id": library_id,
                    "name": name,
                    "roots": roots,
                    "watches": sum(per_root.get(r, 0) for r in roots),
                    "state": state,
                }
            )
        return {
            "libraries": libraries,
            "watches": len(self.manager.watches),
            "events_seen": self.events_seen,
            "last_event": self.last_event,
            "last_event_at": self.last_event_at,
            "warnings": self.warnings,
        }

    def status_write(self) -> None:
        WatcherStatus.objects.update_or_create(
            name=self.name,
            defaults={"started_at": self.started_at, "heartbeat_at": timezone.now(), **self.status()},
        )

    def _forget_status(self) -> None:
        try:
            WatcherStatus.objects.filter(name=self.name).delete()
        except DatabaseError:
            logger.warning("watcher: could not remove its status row")
