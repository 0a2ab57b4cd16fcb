"""paths_index: what other apps (Radarr/Sonarr imports) call to have a few paths indexed, with hostile paths."""

from __future__ import annotations

import pytest

from apps.libraries import services
from apps.libraries.models import LibraryScan
from apps.media.models import MediaFile, Movie
from apps.scanning import catalogue_compare
from apps.scanning import services as scanning

pytestmark = pytest.mark.django_db


@pytest.fixture
def films(tmp_path):
    root = tmp_path / "films"
    root.mkdir()
    return services.library_create(name="Films", kind="movies", paths=[str(root)]), root


def test_a_new_file_is_indexed_in_the_library_that_holds_it(films, place, tmp_path):
    library, root = films
    other_root = tmp_path / "tv"
    other_root.mkdir()
    services.library_create(name="TV", kind="shows", paths=[str(other_root)])
    video = place(root, "Heat (1995)/Heat (1995).mkv")
    ids = scanning.paths_index(paths=[str(video.parent)])
    assert len(ids) == 1
    scan = LibraryScan.objects.get(pk=ids[0])
    assert (scan.library_id, scan.kind, scan.status, scan.added) == (library.pk, "watch", "completed", 1)
    assert Movie.objects.get().title == "Heat"


def test_paths_outside_every_enabled_library_start_nothing(films, place, tmp_path):
    library, root = films
    outside = place(tmp_path / "downloads", "Heat (1995).mkv")
    library.enabled = False
    library.save()
    inside_disabled = place(root, "Ronin (1998).mkv")
    assert scanning.paths_index(paths=[str(outside), str(inside_disabled)]) == []
    assert not LibraryScan.objects.exists() and not MediaFile.objects.exists()


@pytest.mark.parametrize("hostile", ["", "relative/Heat.mkv", "/films/\x00.mkv", "../../etc/passwd"])
def test_hostile_paths_are_ignored_without_an_error(films, place, hostile):
    library, root = films
    place(root, "Heat (1995).mkv")
    ids = scanning.paths_index(paths=[hostile])
    assert all(LibraryScan.objects.get(pk=pk).status == "completed" for pk in ids)
    assert not MediaFile.objects.exists()


def test_a_busy_library_says_so_for_the_caller_to_retry(films, place):
    library, root = films
    video = place(root, "Heat (1995).mkv")
    running = scanning.scan_begin(library=library)
    with pytest.raises(scanning.ScanAlreadyRunningError):
        scanning.paths_index(paths=[str(video)])
    scanning.scan_cancel(scan=running)
    assert len(scanning.paths_index(paths=[str(video)])) == 1
    assert MediaFile.objects.filter(library=library).count() == 1


@pytest.mark.parametrize(
    "count", [3, catalogue_compare.FOLDERS_NAMED_MAX + 20], ids=["named-in-the-query", "past-that"]
)
def test_a_batch_compares_only_the_rows_at_or_under_its_paths(films, place, count):
    # Past FOLDERS_NAMED_MAX paths the rows are filtered here, not in SQL: SQLite refused a thousand-path query.
    library, root = films
    gone = place(root, "Gone (2000)/Gone (2000).mp4")  # no copy of the new ones: not taken for a move
    elsewhere = place(root, "Elsewhere (2001)/Elsewhere (2001).mkv")
    kept = place(root, "Kept (2002)/Kept (2002).mkv")
    scanning.paths_index(paths=[str(root)])
    gone.unlink()
    gone.parent.rmdir()
    elsewhere.unlink()  # gone from disk too, but not part of the batch: its row stays until a scan sees it
    new = [place(root, f"New {i:03d} (2003)/New {i:03d} (2003).mkv") for i in range(count - 1)]
    (scan_id,) = scanning.paths_index(paths=[str(gone.parent), *map(str, new)])
    scan = LibraryScan.objects.get(pk=scan_id)
    assert (scan.status, scan.added, scan.removed) == ("completed", count - 1, 1)
    paths = set(MediaFile.objects.filter(library=library).values_list("path", flat=True))
    assert paths == {str(elsewhere), str(kept), *map(str, new)}
