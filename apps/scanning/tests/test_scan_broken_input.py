"""Hostile files in a library: each one becomes a scan error with a reason, everything else is indexed."""

from __future__ import annotations

import os

import pytest

from apps.libraries import services
from apps.libraries.models import LibraryScan, ScanError
from apps.media.models import MediaFile, Movie
from apps.scanning import services as scanning

pytestmark = pytest.mark.django_db(transaction=True)

XXE_NFO = b"""<?xml version="1.0"?>
<!DOCTYPE movie [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<movie><title>&xxe;</title></movie>
"""


def scan(library) -> LibraryScan:
    return scanning.scan_run(scan=scanning.scan_begin(library=library))


def errors_by_name(scan_row: LibraryScan) -> dict[str, str]:
    return {os.path.basename(e.path): e.reason for e in scan_row.scan_errors.all()}


@pytest.fixture
def library(tmp_path, place):
    root = tmp_path / "movies"
    place(root, "Good (2001)/Good (2001).mkv")
    place(root, "Fine.2002.720p.mp4")
    lib = services.library_create(name="Movies", kind="movies", paths=[str(root)])
    first = scan(lib)
    assert first.added == 2
    return lib, root


def test_broken_files_are_reported_and_nothing_is_lost(library, place, clips):
    lib, root = library
    place(root, "Empty (2003).mkv", content=b"")
    place(root, "Truncated (2004).mkv", content=clips["mkv"].read_bytes()[:300])
    place(root, "Noise (2005).mkv", content=os.urandom(4096))
    place(root, "Letter (2006).mp4", content=b"Dear Sir or Madam,\nthis is not a video.\n" * 20)
    os.mkfifo(root / "Pipe (2007).mkv")
    os.symlink(root, root / "Good (2001)" / "loop")
    os.symlink(root / "nowhere.mkv", root / "Dangling (2008).mkv")
    bad_name = os.fsencode(str(root)) + b"/Caf\xe9 (2009).mkv"
    with open(bad_name, "wb") as handle:
        handle.write(clips["mkv"].read_bytes())
    long_name = "L" * 244 + " (2010).mkv"  # 255 bytes, the most a name may have
    place(root, long_name)
    place(root, "Malformed (2011)/Malformed (2011).mkv")
    place(root, "Malformed (2011)/movie.nfo", content=b"<movie><title>Unclosed</movie")
    place(root, "Entity (2012)/Entity (2012).mkv")
    place(root, "Entity (2012)/movie.nfo", content=XXE_NFO)

    result = scan(lib)
    assert result.status == LibraryScan.Status.COMPLETED
    errors = errors_by_name(result)
    assert "empty" in errors["Empty (2003).mkv"].lower()
    assert errors["Truncated (2004).mkv"]
    assert errors["Noise (2005).mkv"]
    assert errors["Letter (2006).mp4"]
    assert errors["Pipe (2007).mkv"] == "not a regular file"
    assert "loop" in errors["loop"]
    assert "broken symbolic link" in errors["Dangling (2008).mkv"]
    assert "UTF-8" in errors["Caf\ufffd (2009).mkv"]
    assert "malformed" in errors["movie.nfo"].lower() or "xml" in errors["movie.nfo"].lower()
    entity_errors = [e.reason for e in result.scan_errors.all() if "Entity (2012)" in e.path]
    assert entity_errors and "entit" in entity_errors[0].lower()
    assert result.errors == result.scan_errors.count()

    # The good files stay, the long name and the files with broken NFOs are indexed from their names.
    titles = set(Movie.objects.values_list("title", flat=True))
    assert {"Good", "Fine", "L" * 244, "Malformed", "Entity"} <= titles
    assert "root:" not in "".join(Movie.objects.values_list("title", flat=True))
    assert MediaFile.objects.filter(probe_status=MediaFile.ProbeStatus.FAILED).count() == 4


def test_broken_files_are_not_probed_again_until_they_change(library, place):
    lib, root = library
    place(root, "Noise (2005).mkv", content=os.urandom(4096))
    assert scan(lib).errors == 1
    again = scan(lib)
    assert again.errors == 0 and again.unchanged == 3


def test_a_path_too_long_to_store_is_an_error(library, place):
    lib, root = library
    deep = "/".join(["d" * 200] * 10)
    place(root, f"{deep}/Deep (2014).mkv")
    result = scan(lib)
    assert "longer than 2000 characters" in result.scan_errors.get().reason
    assert result.status == LibraryScan.Status.COMPLETED


def test_a_broken_chunk_message_fails_the_scan_and_releases_the_lock(library):
    from apps.scanning import tasks

    lib, root = library
    scan_row = scanning.scan_begin(library=lib)
    LibraryScan.objects.filter(pk=scan_row.pk).update(status="running")
    with pytest.raises(TypeError):
        tasks.library_index_chunk(scan_row.pk, None)
    scan_row.refresh_from_db()
    assert scan_row.status == LibraryScan.Status.FAILED
    assert "indexing failed" in scan_row.failure
    assert scanning.scan_begin(library=lib).pk != scan_row.pk


def test_a_file_deleted_between_walk_and_probe(library):
    lib, root = library
    scan_row = scanning.scan_begin(library=lib)
    scanning.scan_index_paths(scan=scan_row, paths=[str(root / "Gone (2013).mkv")])
    error = ScanError.objects.get(scan=scan_row)
    assert error.path.endswith("Gone (2013).mkv")
    assert "disappeared" in error.reason


def test_an_unreachable_library_folder_is_an_error_not_a_wipe(library, tmp_path):
    lib, root = library
    root.rename(tmp_path / "unmounted")
    result = scan(lib)
    assert "not reachable" in result.scan_errors.get().reason
    # A missing root looks like an unmounted disk: files are not removed on its word alone.
    assert result.removed == 0
    assert MediaFile.objects.count() == 2
