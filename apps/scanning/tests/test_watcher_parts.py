"""The watcher's parts on their own: stability, batching and pairing, and the batch service with hostile input."""

from __future__ import annotations

import os

import pytest

from apps.libraries import services
from apps.libraries.models import LibraryScan
from apps.media.models import MediaFile
from apps.scanning import services as scanning
from apps.scanning.services import library_paths_sync
from apps.scanning.watcher.batcher import Batcher
from apps.scanning.watcher.tracker import StabilityTracker


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_file_is_ready_once_it_held_still(tmp_path):
    clock = Clock()
    tracker = StabilityTracker(2.0, clock=clock)
    path = tmp_path / "a.mkv"
    path.write_bytes(b"x" * 10)
    tracker.touch(str(path))
    clock.now += 1.9
    assert tracker.ready() == []
    path.write_bytes(b"x" * 20)  # still growing: the wait starts over
    clock.now += 0.5
    assert tracker.ready() == []
    clock.now += 1.9
    assert tracker.ready() == []
    clock.now += 0.2
    assert tracker.ready() == [str(path)]
    assert len(tracker) == 0


def test_a_created_file_waits_for_its_close(tmp_path):
    clock = Clock()
    tracker = StabilityTracker(1.0, open_grace=10, clock=clock)
    path = tmp_path / "b.mkv"
    path.write_bytes(b"partial")
    tracker.touch(str(path), created=True)
    tracker.ready()
    clock.now += 5
    assert tracker.ready() == [], "still open for writing as far as we know"
    tracker.touch(str(path), closed=True)
    clock.now += 1.0
    assert tracker.ready() == [str(path)]
    # A writer that never closes is taken after ten stability periods.
    tracker.touch(str(path), created=True)
    tracker.ready()
    clock.now += 10.0
    assert tracker.ready() == [str(path)]


def test_a_vanished_file_is_handed_on_for_removal(tmp_path):
    clock = Clock()
    tracker = StabilityTracker(2.0, clock=clock)
    path = tmp_path / "c.mkv"
    path.write_bytes(b"x")
    tracker.touch(str(path))
    path.unlink()
    assert tracker.ready() == [str(path)]
    assert not tracker.waiting_under([str(tmp_path)])


def test_batches_settle_and_moves_stay_together():
    clock = Clock()
    batcher = Batcher(settle=0.5, max_wait=5, max_size=3, pair_window=1.0, clock=clock)
    batcher.moved_from(1, "/m/old.mkv", cookie=7)
    clock.now += 0.6
    assert batcher.due() == [], "held for the move's other half"
    batcher.moved_to(1, "/m/new.mkv", cookie=7)
    clock.now += 0.6
    assert batcher.due() == [(1, ["/m/new.mkv", "/m/old.mkv"], [])]
    for name in ("a", "b", "c"):
        batcher.add(2, f"/t/{name}.mkv", forced=name == "b")
    assert batcher.due() == [(2, ["/t/a.mkv", "/t/b.mkv", "/t/c.mkv"], ["/t/b.mkv"])], "a full batch goes at once"


def test_an_unpaired_move_waits_for_settling_files_but_not_forever():
    clock = Clock()
    batcher = Batcher(settle=0.5, pair_window=1.0, max_hold=60, clock=clock)
    batcher.moved_from(1, "/m/gone", cookie=9)
    clock.now += 5
    assert batcher.due(lambda library_id: True) == []
    assert batcher.due(lambda library_id: False) == [(1, ["/m/gone"], [])]
    batcher.moved_from(1, "/m/gone-too", cookie=10)
    clock.now += 61
    assert batcher.due(lambda library_id: True) == [(1, ["/m/gone-too"], [])]
    assert batcher.pending() == 0


@pytest.fixture
def library(tmp_path, place):
    root = tmp_path / "movies"
    place(root, "One (2001)/One (2001).mkv")
    lib = services.library_create(name="Movies", kind="movies", paths=[str(root)])
    scanning.scan_run(scan=scanning.scan_begin(library=lib))
    return lib, root


@pytest.mark.django_db
def test_paths_outside_the_library_or_hidden_or_junk_are_ignored(library, tmp_path, place):
    lib, root = library
    outside = place(tmp_path / "elsewhere", "Other (2002)/Other (2002).mkv")
    hidden = place(root, ".Trash-1000/Hidden (2003).mkv")
    scan = library_paths_sync(
        library=lib, paths=[str(outside), str(hidden), "", None, 42, "../../etc/passwd", str(root) + "/../x"]
    )
    assert scan.status == LibraryScan.Status.COMPLETED
    assert MediaFile.objects.filter(library=lib).count() == 1


@pytest.mark.django_db
def test_an_unmounted_root_loses_nothing(library):
    lib, root = library
    video = root / "One (2001)" / "One (2001).mkv"
    os.rename(root, str(root) + "-unmounted")
    library_paths_sync(library=lib, paths=[str(video), str(root)])
    assert MediaFile.objects.filter(path=str(video)).exists()
    os.mkdir(root)  # an empty mount point
    library_paths_sync(library=lib, paths=[str(root / "One (2001)")])
    assert MediaFile.objects.filter(path=str(video)).exists()


@pytest.mark.django_db
def test_a_batch_waits_for_a_running_scan(library):
    lib, root = library
    running = scanning.scan_begin(library=lib)
    with pytest.raises(scanning.ScanAlreadyRunningError):
        library_paths_sync(library=lib, paths=[str(root)])
    scanning.scan_cancel(scan=running)
    assert library_paths_sync(library=lib, paths=[str(root)]).status == LibraryScan.Status.COMPLETED


@pytest.mark.django_db
def test_a_broken_video_becomes_a_failed_probe_and_the_batch_goes_on(library, place):
    lib, root = library
    broken = place(root, "Broken (2004)/Broken (2004).mkv", content=os.urandom(5000))
    fine = place(root, "Fine (2005)/Fine (2005).mkv")
    scan = library_paths_sync(library=lib, paths=[str(broken), str(fine)])
    assert scan.status == LibraryScan.Status.COMPLETED
    assert MediaFile.objects.get(path=str(broken)).probe_status == "failed"
    assert MediaFile.objects.get(path=str(fine)).probe_status == "ok"


def test_a_sidecar_reaches_the_videos_it_belongs_to(tmp_path):
    from apps.scanning.watcher.watch import sidecar_videos

    flat = tmp_path / "flat"
    flat.mkdir()
    for name in ("Heat (1995).mkv", "Alien (1979).mkv", "Heat (1995).en.srt"):
        (flat / name).write_bytes(b"x")
    assert sidecar_videos(str(flat / "Heat (1995).en.srt")) == [str(flat / "Heat (1995).mkv")]
    show = tmp_path / "Show"
    (show / "Season 01").mkdir(parents=True)
    (show / "Season 01" / "Show - S01E01.mkv").write_bytes(b"x")
    (show / "tvshow.nfo").write_text("<tvshow/>")
    assert sidecar_videos(str(show / "tvshow.nfo")) == [str(show / "Season 01" / "Show - S01E01.mkv")]
    (flat / "movie.nfo").write_text("<movie/>")
    assert sorted(sidecar_videos(str(flat / "movie.nfo"))) == sorted(str(p) for p in flat.glob("*.mkv"))
    assert sidecar_videos(str(tmp_path / "gone" / "x.srt")) == []
