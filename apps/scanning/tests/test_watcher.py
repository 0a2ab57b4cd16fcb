"""The watcher against real inotify on real folders: new, renamed, deleted, slowly written, a thousand at once."""

from __future__ import annotations

import os
import shutil
import threading
import time
from collections.abc import Callable

import pytest
from rest_framework.test import APIClient

from apps.libraries import services
from apps.libraries.models import LibraryScan, WatcherStatus
from apps.media.models import MediaFile, Movie
from apps.scanning import services as scanning
from apps.scanning.services import library_paths_sync
from apps.scanning.watcher.watch import Change, LibraryWatcher, pyinotify

pytestmark = pytest.mark.django_db


def sync_now(library_id: int, paths: list[str], forced: list[str]) -> None:
    """The batch as the Celery task runs it, here and now (waiting out a scan holding the lock)."""
    from apps.libraries.models import Library

    library = Library.objects.get(pk=library_id)
    for _ in range(100):
        try:
            library_paths_sync(library=library, paths=paths, forced=forced)
            return
        except scanning.ScanAlreadyRunningError:
            time.sleep(0.05)
    raise AssertionError("the library stayed locked")


def scan_now(library) -> None:
    scanning.scan_run(scan=scanning.scan_begin(library=library))


@pytest.fixture
def watcher_for():
    made: list[LibraryWatcher] = []

    def make(**options) -> LibraryWatcher:
        options.setdefault("stable_seconds", 0.3)
        watcher = LibraryWatcher(
            dispatch=sync_now,
            scan=scan_now,
            reload_seconds=0.2,
            status_seconds=0.2,
            missing_poll_seconds=0.2,
            **options,
        )
        made.append(watcher)
        return watcher

    yield make
    for watcher in made:
        watcher.notifier.stop()


def step_until(watcher: LibraryWatcher, done: Callable[[], bool], *, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        watcher.step(timeout_ms=50)
        if done():
            return
    raise AssertionError("the watcher did not get there in time")


@pytest.fixture
def movies(tmp_path):
    root = tmp_path / "movies"
    root.mkdir()
    return services.library_create(name="Movies", kind="movies", paths=[str(root)]), root


def indexed(path) -> bool:
    return MediaFile.objects.filter(path=str(path), probe_status="ok").exists()


def test_a_copied_file_appears_in_the_api_without_a_scan(movies, watcher_for, clips, user):
    library, root = movies
    watcher = watcher_for()
    step_until(watcher, lambda: LibraryScan.objects.filter(library=library, status="completed").exists())
    target = root / "Arrival (2016)" / "Arrival (2016).mkv"
    target.parent.mkdir()
    shutil.copyfile(clips["mkv"], target)
    step_until(watcher, lambda: indexed(target))
    client = APIClient()
    client.force_authenticate(user)
    titles = [m["title"] for m in client.get("/api/v1/movies/").json()["results"]]
    assert titles == ["Arrival"]
    assert LibraryScan.objects.filter(library=library, kind="watch", status="completed").exists()


def test_a_rename_keeps_the_id_and_a_delete_removes(movies, watcher_for, place):
    library, root = movies
    first = place(root, "Heat (1995)/Heat (1995).mkv")
    watcher = watcher_for()
    step_until(watcher, lambda: indexed(first))
    file_id = MediaFile.objects.get(path=str(first)).pk
    movie_id = Movie.objects.get(title="Heat").pk

    renamed = root / "Heat (1995)" / "Heat (1995) - 1080p.mkv"
    os.rename(first, renamed)
    step_until(watcher, lambda: MediaFile.objects.filter(path=str(renamed)).exists())
    assert MediaFile.objects.get(path=str(renamed)).pk == file_id
    assert not MediaFile.objects.filter(path=str(first)).exists()

    moved_folder = root / "Collection" / "Heat (1995)"
    moved_folder.parent.mkdir()
    os.rename(root / "Heat (1995)", moved_folder)
    in_new_folder = moved_folder / renamed.name
    step_until(watcher, lambda: MediaFile.objects.filter(path=str(in_new_folder)).exists())
    assert MediaFile.objects.get(path=str(in_new_folder)).pk == file_id
    assert Movie.objects.get(title="Heat").pk == movie_id

    os.remove(in_new_folder)
    step_until(watcher, lambda: not MediaFile.objects.filter(pk=file_id).exists())
    assert not Movie.objects.filter(title="Heat").exists()


def test_a_slowly_written_file_is_probed_once_when_complete(movies, watcher_for, clips):
    library, root = movies
    watcher = watcher_for(stable_seconds=1.0)
    step_until(watcher, lambda: LibraryScan.objects.filter(library=library, status="completed").exists())
    data = clips["mkv"].read_bytes()
    target = root / "Slow (2020).mkv"

    def write_slowly() -> None:
        with open(target, "wb") as out:
            pieces = 10
            for i in range(pieces):
                out.write(data[i * len(data) // pieces : (i + 1) * len(data) // pieces])
                out.flush()
                time.sleep(0.5)  # five seconds in all, pauses shorter than the stability wait

    writer = threading.Thread(target=write_slowly)
    writer.start()
    try:
        step_until(watcher, lambda: indexed(target), timeout=30)
    finally:
        writer.join()
    row = MediaFile.objects.get(path=str(target))
    assert row.size == len(data) and row.duration and row.duration > 0.9
    watch_scans = LibraryScan.objects.filter(library=library, kind="watch")
    assert sum(s.added + s.updated for s in watch_scans) == 1, "probed exactly once"
    for _ in range(20):  # nothing more arrives later
        watcher.step(timeout_ms=50)
    assert sum(s.added + s.updated for s in LibraryScan.objects.filter(library=library, kind="watch")) == 1


def test_a_thousand_files_at_once_are_all_indexed_once(movies, watcher_for, clips):
    library, root = movies
    watcher = watcher_for(stable_seconds=0.5)
    step_until(watcher, lambda: LibraryScan.objects.filter(library=library, status="completed").exists())
    for i in range(1000):
        folder = root / f"Film {i:04d} (2001)"
        folder.mkdir()
        shutil.copyfile(clips["mkv"], folder / f"Film {i:04d} (2001).mkv")
    step_until(watcher, lambda: MediaFile.objects.filter(library=library).count() == 1000, timeout=120)
    watch_scans = LibraryScan.objects.filter(library=library, kind="watch")
    assert sum(s.added for s in watch_scans) == 1000
    assert sum(s.updated for s in watch_scans) == 0, "none indexed twice"
    assert Movie.objects.filter(library=library).count() == 1000


def test_an_overflow_leads_to_a_full_rescan(movies, watcher_for, place):
    library, root = movies
    watcher = watcher_for(scan_at_start=False)
    step_until(watcher, lambda: bool(watcher.roots))
    # Files that arrived while events were being lost: only a rescan can find them.
    lost = place(root, "Lost (2001)/Lost (2001).mkv")
    watcher.tracker.pending.clear()
    watcher.batcher.batches.clear()
    # The event as pyinotify hands it over (it carries nothing but its mask), through the watcher's handler.
    watcher.notifier._default_proc_fun(pyinotify.Event({"mask": pyinotify.IN_Q_OVERFLOW}))
    step_until(watcher, lambda: indexed(lost))
    assert LibraryScan.objects.filter(library=library, kind="incremental", status="completed").exists()
    assert "overflowed" in watcher.warnings[0]["message"]


def test_libraries_added_or_disabled_while_running(tmp_path, movies, watcher_for, place):
    library, root = movies
    watcher = watcher_for()
    step_until(watcher, lambda: str(root) in watcher.roots)
    other_root = tmp_path / "more"
    other_root.mkdir()
    more = services.library_create(name="More", kind="movies", paths=[str(other_root)])
    step_until(watcher, lambda: str(other_root) in watcher.roots)
    arrived = place(other_root, "New (2022)/New (2022).mkv")
    step_until(watcher, lambda: indexed(arrived))
    services.library_update(library=more, enabled=False)
    step_until(watcher, lambda: str(other_root) not in watcher.roots)
    ignored = place(other_root, "Ignored (2023)/Ignored (2023).mkv")
    for _ in range(20):
        watcher.step(timeout_ms=50)
    assert not MediaFile.objects.filter(path=str(ignored)).exists()


def test_a_lost_root_is_reported_and_rescanned_when_it_returns(movies, watcher_for, place):
    library, root = movies
    kept = place(root, "Kept (2001)/Kept (2001).mkv")
    watcher = watcher_for()
    step_until(watcher, lambda: indexed(kept))
    shutil.move(str(root), str(root) + "-away")
    step_until(watcher, lambda: str(root) in watcher.missing)
    assert any("disappeared" in w["message"] for w in watcher.warnings)
    assert MediaFile.objects.filter(path=str(kept)).exists(), "nothing is removed while the root is gone"
    shutil.move(str(root) + "-away", str(root))
    place(root, "Returned (2002)/Returned (2002).mkv")
    step_until(watcher, lambda: indexed(root / "Returned (2002)" / "Returned (2002).mkv"))
    assert str(root) in watcher.roots


def test_sidecars_hidden_folders_and_broken_files(movies, watcher_for, place):
    library, root = movies
    video = place(root, "Nfo (2001)/Nfo (2001).mkv")
    watcher = watcher_for()
    step_until(watcher, lambda: indexed(video))
    (root / "Nfo (2001)" / "movie.nfo").write_text("<movie><title>Renamed By Nfo</title></movie>")
    step_until(watcher, lambda: Movie.objects.filter(title="Renamed By Nfo").exists())
    hidden = place(root, ".Trash-1000/files/Gone (2001).mkv")
    broken = place(root, "Broken (2001)/Broken (2001).mkv", content=b"\x00" * 4096)
    step_until(watcher, lambda: MediaFile.objects.filter(path=str(broken)).exists())
    assert MediaFile.objects.get(path=str(broken)).probe_status == "failed"
    assert not MediaFile.objects.filter(path=str(hidden)).exists()


def test_status_for_operators(movies, watcher_for, place):
    library, root = movies
    watcher = watcher_for()
    step_until(watcher, lambda: str(root) in watcher.roots)
    place(root, "Seen (2001)/Seen (2001).mkv")
    step_until(watcher, lambda: watcher.events_seen > 0 and WatcherStatus.objects.filter(events_seen__gt=0).exists())
    status = WatcherStatus.objects.get(name=watcher.name)
    assert status.libraries[0]["name"] == "Movies" and status.libraries[0]["state"] == "watching"
    assert status.watches >= 2 and status.last_event
    watcher.stop()
    watcher.run()
    assert not WatcherStatus.objects.filter(name=watcher.name).exists(), "a stopped watcher leaves no status"


def test_metrics_and_admin_show_the_watcher(movies, watcher_for, place, admin_client):
    library, root = movies
    watcher = watcher_for()
    step_until(watcher, lambda: str(root) in watcher.roots)
    place(root, "Seen (2001)/Seen (2001).mkv")
    step_until(watcher, lambda: WatcherStatus.objects.filter(events_seen__gt=0).exists())
    watcher.handle(Change(pyinotify.IN_Q_OVERFLOW, ""))
    watcher.status_write()
    text = admin_client.get("/metrics").content.decode()
    assert "revenge_watcher_up 1.0" in text
    assert "revenge_watcher_watched_libraries 1.0" in text
    assert "revenge_watcher_events_total" in text and "revenge_watcher_last_event_timestamp_seconds" in text
    page = admin_client.get("/admin/libraries/watcherstatus/")
    assert page.status_code == 200 and b"running" in page.content and b"overflowed" in page.content
    detail = admin_client.get(f"/admin/libraries/watcherstatus/{WatcherStatus.objects.get().pk}/change/")
    assert b"Movies" in detail.content
