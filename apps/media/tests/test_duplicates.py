"""Finding duplicates in a real library of real clips: the three kinds, cached hashes, remembered dismissals."""

from __future__ import annotations

import shutil
import time

import pytest
from celery.contrib.testing.worker import start_worker

from apps.core.testing.catalogue import ClipLibrary
from apps.media.duplicates import detection, review
from apps.media.models import DuplicateGroup, MediaFile
from revenge.celery import app

pytestmark = pytest.mark.django_db

# Over 128 KiB, so that bytes in the middle are outside the quick fingerprint (first and last 64 KiB).
BIG = {"width": 640, "height": 480, "bit_rate": 2_000_000}


@pytest.fixture
def movies(tmp_path) -> ClipLibrary:
    return ClipLibrary(tmp_path / "movies")


def test_a_reencode_is_a_perceptual_duplicate_and_another_clip_of_the_same_length_is_not(movies):
    movies.clip("Clip A (2001)/Clip A (2001).mkv", seed=1)
    movies.reencode("Clip A (2001)/Clip A (2001).mkv", "Clip A Remux (2002)/Clip A Remux (2002).mp4")
    movies.clip("Clip B (2003)/Clip B (2003).mkv", seed=2)
    result = movies.refresh()
    assert result.perceptual_hashed == 3 and result.failed == 0
    assert movies.groups() == [{"Clip A (2001)/Clip A (2001).mkv", "Clip A Remux (2002)/Clip A Remux (2002).mp4"}]
    group = movies.group("perceptual")
    assert group.status == DuplicateGroup.Status.OPEN
    assert group.distance <= 4 < detection.PERCEPTUAL_THRESHOLD
    original, copy = (
        movies.file("Clip A (2001)/Clip A (2001).mkv"),
        movies.file("Clip A Remux (2002)/Clip A Remux (2002).mp4"),
    )
    assert (original.container, copy.container) == ("mkv", "mp4")
    assert copy.size < original.size


def test_similar_pictures_of_very_different_length_are_not_compared(movies):
    movies.clip("Short (2001)/Short (2001).mkv", seed=1, seconds=4)
    movies.clip("Long (2002)/Long (2002).mkv", seed=1, seconds=8)  # same drawing, twice as long
    movies.refresh()
    assert movies.groups() == []


def test_an_exact_copy_is_confirmed_by_the_full_hash(movies):
    one = movies.clip("One (2001)/One (2001).mkv", seed=1, **BIG)
    assert one.stat().st_size > 3 * 64 * 1024
    (movies.root / "Two (2002)").mkdir()
    shutil.copyfile(one, movies.root / "Two (2002)" / "Two (2002).mkv")
    # Same size, same first and last 64 KiB, so the same fingerprint; different in the middle.
    data = bytearray(one.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 16] = bytes(255 - b for b in data[middle : middle + 16])
    movies.write("Three (2003)/Three (2003).mkv", bytes(data))
    movies.clip("Other (2004)/Other (2004).mkv", seed=9)
    movies.refresh()

    one, two, three = (movies.file(f"{n}/{n}.mkv") for n in ("One (2001)", "Two (2002)", "Three (2003)"))
    assert one.fingerprint == two.fingerprint == three.fingerprint
    assert movies.groups("exact") == [{"One (2001)/One (2001).mkv", "Two (2002)/Two (2002).mkv"}]
    assert one.full_hash == two.full_hash != three.full_hash
    other = movies.file("Other (2004)/Other (2004).mkv")
    assert other.full_hash == other.full_hash_key == ""  # lazily: only files that share a fingerprint are read


def test_hard_links_of_one_file_are_not_duplicates(movies):
    one = movies.clip("One (2001)/One (2001).mkv", seed=1, **BIG)
    (movies.root / "Two (2002)").mkdir()
    (movies.root / "Two (2002)" / "Two (2002).mkv").hardlink_to(one)
    movies.refresh()
    assert movies.groups("exact") == []


def test_the_same_title_twice_is_grouped_but_versions_and_stacks_are_not(movies):
    movies.clip("Twice (2001)/Twice (2001).mkv", seed=1)
    movies.clip("Twice (2001)/Twice (2001).mp4", seed=2)
    movies.clip("Twice (2001)/Twice (2001)-trailer.mkv", seed=3)
    movies.clip("Versions (2002)/Versions (2002) - 1080p.mkv", seed=4)
    movies.clip("Versions (2002)/Versions (2002) - 720p.mkv", seed=5)
    movies.clip("Stacked (2003)/Stacked (2003) cd1.mkv", seed=6)
    movies.clip("Stacked (2003)/Stacked (2003) cd2.mkv", seed=7)
    movies.refresh()
    assert movies.groups() == [{"Twice (2001)/Twice (2001).mkv", "Twice (2001)/Twice (2001).mp4"}]
    assert movies.group("title").files.get(path__endswith=".mp4").movie.title == "Twice"


def test_the_same_episode_twice(tmp_path):
    shows = ClipLibrary(tmp_path / "tv", name="TV", kind="shows")
    shows.clip("Show/Season 01/Show - S01E01.mkv", seed=1)
    shows.clip("Show/Season 01/Show - S01E01 - Pilot.mp4", seed=2)
    shows.clip("Show/Season 01/Show - S01E02.mkv", seed=3)
    shows.refresh()
    assert shows.groups("title") == [{"Show/Season 01/Show - S01E01.mkv", "Show/Season 01/Show - S01E01 - Pilot.mp4"}]


def test_a_title_group_that_is_also_an_exact_copy_is_reported_once(movies):
    one = movies.clip("Twice (2001)/Twice (2001).mkv", seed=1)
    shutil.copyfile(one, movies.root / "Twice (2001)" / "Twice (2001).mp4")
    movies.refresh()
    assert [g.kind for g in DuplicateGroup.objects.all()] == ["exact"]


def test_hashes_are_computed_once_and_again_when_the_file_changes(movies):
    movies.clip("A (2001)/A (2001).mkv", seed=1)
    movies.reencode("A (2001)/A (2001).mkv", "B (2002)/B (2002).mp4")
    assert movies.refresh().perceptual_hashed == 2
    assert movies.refresh().hashed == 0
    stored = movies.file("A (2001)/A (2001).mkv")
    MediaFile.objects.filter(pk=stored.pk).update(perceptual_hash="0" * 16)  # a marker a recomputation would undo
    assert movies.refresh().hashed == 0
    assert movies.file("A (2001)/A (2001).mkv").perceptual_hash == "0" * 16

    movies.clip("A (2001)/A (2001).mkv", seed=5)  # another picture under the same name
    movies.touch("A (2001)/A (2001).mkv", stored.mtime_ns + 10**9)
    result = movies.refresh()
    assert result.perceptual_hashed == 1
    changed = movies.file("A (2001)/A (2001).mkv")
    assert changed.pk == stored.pk and changed.perceptual_hash not in ("", "0" * 16)
    assert changed.perceptual_hash_key == changed.state_key
    assert movies.groups() == []


def test_a_full_hash_is_recomputed_when_the_middle_of_a_file_changes(movies):
    one = movies.clip("One (2001)/One (2001).mkv", seed=1, **BIG)
    (movies.root / "Two (2002)").mkdir()
    two = movies.root / "Two (2002)" / "Two (2002).mkv"
    shutil.copyfile(one, two)
    assert movies.refresh().full_hashed == 2
    assert movies.refresh().full_hashed == 0
    assert len(movies.groups("exact")) == 1

    before = movies.file("Two (2002)/Two (2002).mkv")
    data = bytearray(two.read_bytes())
    data[len(data) // 2] ^= 0xFF
    two.write_bytes(bytes(data))
    movies.touch("Two (2002)/Two (2002).mkv", before.mtime_ns + 10**9)
    assert movies.refresh().full_hashed == 1  # only the changed file is read again
    assert movies.groups("exact") == []


def test_not_a_duplicate_is_remembered_until_a_new_file_joins(movies):
    one = movies.clip("One (2001)/One (2001).mkv", seed=1)
    for name in ("Two (2002)", "Three (2003)"):
        (movies.root / name).mkdir()
    shutil.copyfile(one, movies.root / "Two (2002)" / "Two (2002).mkv")
    movies.refresh()
    review.duplicate_dismiss(group=movies.group("exact"))

    DuplicateGroup.objects.all().delete()  # even rebuilt from nothing, the same files stay dismissed
    movies.refresh()
    assert movies.group("exact").status == DuplicateGroup.Status.DISMISSED

    shutil.copyfile(one, movies.root / "Three (2003)" / "Three (2003).mkv")
    movies.refresh()
    group = movies.group("exact")
    assert group.status == DuplicateGroup.Status.OPEN
    assert group.members.count() == 3


def test_a_decision_survives_a_rebuild_while_the_members_stay_the_same(movies):
    movies.clip("A (2001)/A (2001).mkv", seed=1)
    movies.reencode("A (2001)/A (2001).mkv", "B (2002)/B (2002).mp4")
    movies.refresh()
    original = movies.file("A (2001)/A (2001).mkv")
    group = review.duplicate_keep(group=movies.group("perceptual"), file_id=original.pk)
    movies.refresh()
    rebuilt = movies.group("perceptual")
    assert (rebuilt.pk, rebuilt.status, rebuilt.kept_file_id) == (group.pk, "kept", original.pk)


def test_broken_files_are_skipped_and_the_rest_is_grouped(movies):
    good = movies.clip("Good (2001)/Good (2001).mkv", seed=1)
    movies.reencode("Good (2001)/Good (2001).mkv", "Good Copy (2002)/Good Copy (2002).mp4")
    data = good.read_bytes()
    movies.write("Empty (2003)/Empty (2003).mkv", b"")
    movies.write("Empty Too (2004)/Empty Too (2004).mkv", b"")
    movies.write("Noise (2005)/Noise (2005).mkv", bytes(range(256)) * 200)
    movies.write("Truncated (2006)/Truncated (2006).mkv", data[: len(data) // 3])
    movies.scan()
    (movies.root / "Good Copy (2002)" / "Good Copy (2002).mp4").rename(movies.root / "moved-away.mp4")
    result = detection.duplicates_refresh(library=movies.library, budget_seconds=None)
    assert result.complete
    truncated = movies.file("Truncated (2006)/Truncated (2006).mkv")
    assert truncated.probe_status == "ok" and truncated.perceptual_hash == ""
    assert "decoded" in truncated.perceptual_error
    assert movies.groups("exact") == []  # two empty files are no duplicates
    (movies.root / "moved-away.mp4").rename(movies.root / "Good Copy (2002)" / "Good Copy (2002).mp4")
    detection.duplicates_refresh(library=movies.library, budget_seconds=None)
    assert movies.groups() == [{"Good (2001)/Good (2001).mkv", "Good Copy (2002)/Good Copy (2002).mp4"}]


def test_a_time_budget_leaves_the_rest_for_the_next_run(movies):
    for seed in range(1, 4):
        movies.clip(f"Clip {seed} (200{seed})/Clip {seed} (200{seed}).mkv", seed=seed)
    movies.scan()
    first = detection.hashes_update(library=movies.library, budget_seconds=1e-9)
    assert (first.perceptual_hashed, first.pending, first.complete) == (1, 2, False)
    assert detection.hashes_update(library=movies.library).perceptual_hashed == 2


def test_a_second_refresh_of_the_same_library_waits_its_turn(movies):
    from django.core.cache import cache

    cache.add(f"duplicates-refresh:{movies.library.pk}", 1)
    assert detection.duplicates_refresh(library=movies.library).busy


@pytest.mark.django_db(transaction=True)
def test_a_scan_that_changed_files_refreshes_the_groups_in_a_worker(movies):
    movies.clip("A (2001)/A (2001).mkv", seed=1)
    movies.reencode("A (2001)/A (2001).mkv", "B (2002)/B (2002).mp4")
    app.control.purge()
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        movies.scan()  # library.scan_completed → media.duplicates_refresh
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not DuplicateGroup.objects.exists():
            time.sleep(0.1)
    assert movies.groups("perceptual") == [{"A (2001)/A (2001).mkv", "B (2002)/B (2002).mp4"}]


def test_only_a_scan_that_changed_files_starts_a_refresh(django_capture_on_commit_callbacks):
    from apps.core.events import Event
    from apps.media.duplicates.subscribers import duplicates_after_scan

    quiet = {"added": 0, "updated": 0, "moved": 0, "removed": 0, "unchanged": 12}
    with django_capture_on_commit_callbacks() as enqueued:
        duplicates_after_scan(Event("library.scan_completed", {"library_id": 1, "counters": quiet}))
    assert enqueued == []
    with django_capture_on_commit_callbacks() as enqueued:
        duplicates_after_scan(Event("library.scan_completed", {"library_id": 1, "counters": {**quiet, "moved": 1}}))
    assert len(enqueued) == 1
