"""Incremental scans do not list folders whose times are unchanged, and still see every change a folder's times show."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from apps.libraries import services
from apps.libraries.models import Library, LibraryScan, WalkedFolder
from apps.media.models import MediaFile
from apps.scanning import catalogue_compare, walker
from apps.scanning import services as scanning

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def settled(monkeypatch):
    """Folders count as settled as soon as they are written (a walk trusts only times older than SETTLED_NS)."""
    monkeypatch.setattr(walker, "SETTLED_NS", 0)


@pytest.fixture
def listed(monkeypatch, tmp_path) -> list[str]:
    """The folders under tmp_path that walks list, in order."""
    folders: list[str] = []
    real_scandir = os.scandir

    def recording(path="."):
        if os.fspath(path).startswith(str(tmp_path)):
            folders.append(os.fspath(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", recording)
    return folders


@pytest.fixture
def library(tmp_path, place, settled) -> tuple[Library, Path]:
    """A movie library scanned until its folders are recorded as plain (the first scan indexes every file, and a
    folder whose files wait to be indexed is listed once more)."""
    root = tmp_path / "movies"
    place(root, "Heat (1995)/Heat (1995) - 1080p.mkv")
    place(root, "Heat (1995)/Heat (1995) - 720p.mkv")
    place(root, "Heat (1995)/movie.nfo", content=b"<movie><title>Heat</title></movie>")
    place(root, "Blade Runner (1982)/Blade Runner (1982) - cd1.avi")
    place(root, "Blade Runner (1982)/Blade Runner (1982) - cd2.avi")
    place(root, "Inception (2010)/Inception (2010).mkv")
    place(root, "Inception (2010)/trailers/Inception trailer.mp4")
    place(root, "The.Matrix.1999.mp4")
    library = services.library_create(name="Movies", kind="movies", paths=[str(root)])
    assert scan(library).added == 7
    assert scan(library).unchanged == 7
    return library, root


def scan(library: Library, *, full: bool = False) -> LibraryScan:
    library.refresh_from_db()
    return scanning.scan_run(scan=scanning.scan_begin(library=library, full=full))


def counters(result: LibraryScan) -> dict[str, int]:
    return {name: getattr(result, name) for name in ("seen", "added", "updated", "moved", "removed", "unchanged")}


def catalogue(library: Library) -> dict[str, int]:
    return dict(MediaFile.objects.filter(library=library).values_list("path", "id"))


def test_an_unchanged_rescan_lists_no_folder_and_counts_every_file(library, listed):
    lib, root = library
    before = catalogue(lib)
    result = scan(lib)
    assert listed == []
    assert counters(result) == {"seen": 7, "added": 0, "updated": 0, "moved": 0, "removed": 0, "unchanged": 7}
    assert result.status == LibraryScan.Status.COMPLETED
    assert catalogue(lib) == before
    assert WalkedFolder.objects.filter(library=lib, plain=True).count() == 5  # the root and four folders


@pytest.mark.parametrize(
    "named_max", [catalogue_compare.FOLDERS_NAMED_MAX, 0], ids=["rows-of-listed-folders", "all-rows"]
)
def test_additions_removals_and_moves_are_found_by_listing_only_the_folders_they_changed(
    library, listed, place, monkeypatch, named_max
):
    lib, root = library
    monkeypatch.setattr(catalogue_compare, "FOLDERS_NAMED_MAX", named_max)
    ids = catalogue(lib)
    place(root, "Heat (1995)/Heat (1995) - 2160p.mkv")  # a version added beside the others
    place(root, "Alien (1979)/Alien (1979).mkv")  # a movie added
    (root / "Blade Runner (1982)/Blade Runner (1982) - cd2.avi").unlink()
    os.rename(root / "Inception (2010)", root / "Inception (2010) [imdbid-tt1375666]")  # two files moved
    (root / "The.Matrix.1999.mp4").unlink()
    result = scan(lib)

    assert counters(result) == {"seen": 7, "added": 2, "updated": 2, "moved": 2, "removed": 2, "unchanged": 3}
    renamed = str(root / "Inception (2010) [imdbid-tt1375666]")
    assert sorted(listed) == sorted(
        [
            str(root),
            str(root / "Alien (1979)"),
            str(root / "Blade Runner (1982)"),
            str(root / "Heat (1995)"),
            renamed,
            renamed + "/trailers",
        ]
    )
    after = catalogue(lib)
    assert after[renamed + "/Inception (2010).mkv"] == ids[str(root / "Inception (2010)/Inception (2010).mkv")]
    assert str(root / "Heat (1995)/Heat (1995) - 2160p.mkv") in after
    assert str(root / "Alien (1979)/Alien (1979).mkv") in after
    assert str(root / "The.Matrix.1999.mp4") not in after
    assert len(after) == 7
    assert not WalkedFolder.objects.filter(path__startswith=str(root / "Inception (2010)") + "/").exists()

    # And the walk after that lists only the folders whose new files were indexed, then nothing.
    listed.clear()
    assert counters(scan(lib))["unchanged"] == 7
    assert sorted(listed) == sorted(
        [str(root / "Alien (1979)"), str(root / "Heat (1995)"), renamed, renamed + "/trailers"]
    )
    listed.clear()
    assert counters(scan(lib))["unchanged"] == 7
    assert listed == []


def test_a_whole_folder_removed_takes_its_rows_and_its_subfolders_with_it(library):
    lib, root = library
    for path in sorted((root / "Inception (2010)").rglob("*"), reverse=True):
        path.rmdir() if path.is_dir() else path.unlink()
    (root / "Inception (2010)").rmdir()
    result = scan(lib)
    assert (result.removed, result.unchanged, result.seen) == (2, 5, 5)
    assert not MediaFile.objects.filter(path__contains="Inception").exists()
    assert not WalkedFolder.objects.filter(path__contains="Inception").exists()


def test_a_file_added_behind_folder_times_set_back_by_hand_is_found(library, place):
    lib, root = library
    folder = root / "Heat (1995)"
    times = os.stat(folder)
    place(root, "Heat (1995)/Heat (1995) - 2160p.mkv")
    os.utime(folder, ns=(times.st_atime_ns, times.st_mtime_ns))  # mtime as recorded; the change time moved anyway
    assert os.stat(folder).st_mtime_ns == times.st_mtime_ns
    result = scan(lib)
    assert (result.added, result.seen) == (1, 8)


def test_a_file_rewritten_in_place_waits_for_the_watcher_a_full_scan_or_the_daily_verification(
    library, clips, settings
):
    lib, root = library
    target = root / "The.Matrix.1999.mp4"
    before = MediaFile.objects.get(path=str(target))
    with target.open("r+b") as fh:  # in place: the folder's entries, and so its times, do not change
        fh.truncate()
        fh.write(clips["mkv"].read_bytes())
    os.utime(target, ns=(before.mtime_ns + 10**9, before.mtime_ns + 10**9))

    assert scan(lib).updated == 0  # the limit of trusting folder times: the file is not looked at
    assert MediaFile.objects.get(pk=before.pk).container == "mp4"

    Library.objects.filter(pk=lib.pk).update(files_verified_at=timezone.now() - timedelta(hours=25))
    verified = scan(lib)
    assert (verified.updated, verified.unchanged) == (1, 6)
    assert MediaFile.objects.get(pk=before.pk).container == "mkv"
    assert lib.__class__.objects.get(pk=lib.pk).files_verified_at > timezone.now() - timedelta(minutes=1)

    with target.open("r+b") as fh:
        fh.truncate()
        fh.write(clips["mp4"].read_bytes())
    os.utime(target, ns=(before.mtime_ns + 2 * 10**9, before.mtime_ns + 2 * 10**9))
    settings.SCAN_VERIFY_HOURS = 0  # every scan stats every file
    assert scan(lib).updated == 1
    assert MediaFile.objects.get(pk=before.pk).container == "mp4"


def test_a_full_scan_lists_every_folder(library, listed):
    lib, root = library
    result = scan(lib, full=True)
    assert (result.updated, result.seen) == (7, 7)
    assert len(set(listed)) == 5


def test_a_catalogue_row_deleted_by_hand_comes_back_at_the_next_incremental_scan(library, listed):
    lib, root = library
    MediaFile.objects.filter(path=str(root / "Heat (1995)/Heat (1995) - 720p.mkv")).delete()
    result = scan(lib)
    assert (result.added, result.seen, result.unchanged) == (1, 7, 6)
    assert len(set(listed)) == 5  # the rows did not add up to the folders skipped: every folder was listed
    assert MediaFile.objects.filter(path=str(root / "Heat (1995)/Heat (1995) - 720p.mkv")).exists()


def test_folders_changed_moments_ago_are_listed_again(tmp_path, place, listed, monkeypatch):
    # Written within the hour, which a walk does not trust (a folder's time stamp may not move within its
    # granularity): each walk lists them.
    monkeypatch.setattr(walker, "SETTLED_NS", 3600 * 10**9)
    root = tmp_path / "movies"
    place(root, "Heat (1995)/Heat (1995).mkv")
    place(root, "Alien (1979)/Alien (1979).mkv")
    lib = services.library_create(name="Movies", kind="movies", paths=[str(root)])
    for _ in range(3):
        listed.clear()
        assert scan(lib).seen == 2
        assert sorted(listed) == [str(root), str(root / "Alien (1979)"), str(root / "Heat (1995)")]
    assert not WalkedFolder.objects.filter(plain=True).exists()


def test_a_folder_holding_a_link_is_listed_every_time(library, listed, tmp_path, place):
    lib, root = library
    os.symlink(root / "Heat (1995)/Heat (1995) - 1080p.mkv", root / "Blade Runner (1982)/Heat link.mkv")
    scan(lib)
    scan(lib)
    listed.clear()
    assert scan(lib).unchanged == 8
    assert listed == [str(root / "Blade Runner (1982)")]


def test_an_unmounted_folder_keeps_its_rows_and_comes_back_unchanged(library):
    lib, root = library
    ids = catalogue(lib)
    away = root.with_name("unmounted")
    root.rename(away)
    root.mkdir()  # an empty mount point
    gone = scan(lib)
    assert (gone.removed, gone.errors) == (0, 1)
    assert catalogue(lib) == ids
    root.rmdir()
    away.rename(root)
    back = scan(lib)
    assert (back.removed, back.added, back.unchanged) == (0, 0, 7)
    assert catalogue(lib) == ids


def test_a_library_whose_folders_overlap_scans_each_file_once(tmp_path, place, settled):
    # The first scan of such a library failed: the file under both folders was indexed twice in one batch.
    root = tmp_path / "movies"
    place(root, "Heat (1995)/Heat (1995).mkv")
    place(root, "Classics/Alien (1979)/Alien (1979).mkv")
    lib = services.library_create(name="Movies", kind="movies", paths=[str(root), str(root / "Classics")])
    results = [scan(lib) for _ in range(4)]
    assert [(r.status, r.added, r.seen, r.removed) for r in results] == [("completed", 2, 2, 0)] + [
        ("completed", 0, 2, 0)
    ] * 3
    assert sorted(catalogue(lib)) == [
        str(root / "Classics/Alien (1979)/Alien (1979).mkv"),
        str(root / "Heat (1995)/Heat (1995).mkv"),
    ]
    assert WalkedFolder.objects.filter(library=lib).count() == 4
