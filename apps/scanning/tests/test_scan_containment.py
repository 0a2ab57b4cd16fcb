"""Files never leave the library folders: hostile symbolic links at scan time, in sidecars and from the watcher."""

from __future__ import annotations

import os
import shutil

import pytest
from django.core.exceptions import ValidationError

from apps.libraries import services
from apps.libraries.containment import LEAVES, path_contained
from apps.libraries.models import Library, LibraryScan
from apps.media.models import Artwork, MediaFile, Movie, Subtitle
from apps.scanning import services as scanning
from apps.scanning.services import library_paths_sync

pytestmark = pytest.mark.django_db

SRT = "1\n00:00:01,000 --> 00:00:02,000\nHello\n"


def scan(library, *, full: bool = False) -> LibraryScan:
    return scanning.scan_run(scan=scanning.scan_begin(library=library, full=full))


def errors_of(scan_row: LibraryScan) -> dict[str, str]:
    return {e.path: e.reason for e in scan_row.scan_errors.all()}


def indexed(library) -> set[str]:
    return set(MediaFile.objects.filter(library=library).values_list("path", flat=True))


@pytest.fixture
def outside(tmp_path, clips):
    """A fake data folder next to the library: a "database" and a "secret key" that even probe as video."""
    data = tmp_path / "elsewhere" / "data"
    data.mkdir(parents=True)
    shutil.copyfile(clips["mkv"], data / "revenge.sqlite3")
    (data / "secret_key").write_bytes(clips["mkv"].read_bytes())
    (data / "passwd").write_text("root:x:0:0:root:/root:/bin/bash\n")
    return data


@pytest.fixture
def movies(tmp_path, place):
    root = tmp_path / "movies"
    place(root, "Good (2000)/Good (2000).mkv")
    return root


def test_videos_linked_out_of_the_library_are_scan_errors_and_never_indexed(movies, outside):
    (movies / "DB (2001)").mkdir()
    os.symlink(outside / "revenge.sqlite3", movies / "DB (2001)" / "DB (2001).mkv")
    os.symlink(outside / "secret_key", movies / "Key (2002).mkv")
    hop = movies / "Hop (2003).mkv"
    os.symlink(movies / "Good (2000)" / "hop-to-key.mkv", hop)  # a chain: inside, then out
    os.symlink(outside / "secret_key", movies / "Good (2000)" / "hop-to-key.mkv")
    library = services.library_create(name="Movies", kind="movies", paths=[str(movies)])

    result = scan(library)

    errors = errors_of(result)
    for path in (movies / "DB (2001)" / "DB (2001).mkv", movies / "Key (2002).mkv", hop):
        assert errors[str(path)] == LEAVES
    assert indexed(library) == {str(movies / "Good (2000)" / "Good (2000).mkv")}
    assert set(Movie.objects.values_list("title", flat=True)) == {"Good"}


def test_links_that_stay_inside_the_library_are_indexed(tmp_path, movies, place):
    second = tmp_path / "more movies"
    place(second, "Real (2004)/Real (2004).mkv")
    os.symlink(movies / "Good (2000)" / "Good (2000).mkv", movies / "Alias (2005).mkv")
    os.symlink(
        os.path.join("..", "Good (2000)", "Good (2000).mkv"),
        place(movies, "Rel (2006)/x.txt").parent / "Rel (2006).mkv",
    )
    os.symlink(second / "Real (2004)" / "Real (2004).mkv", movies / "Cross (2007).mkv")  # another folder of it
    os.symlink(second / "Real (2004)", movies / "Folder (2008)")
    library = services.library_create(name="Movies", kind="movies", paths=[str(movies), str(second)])

    result = scan(library)

    assert errors_of(result) == {}
    assert {os.path.basename(p) for p in indexed(library)} == {
        "Good (2000).mkv", "Real (2004).mkv", "Alias (2005).mkv", "Rel (2006).mkv", "Cross (2007).mkv",
    }  # fmt: skip
    assert str(movies / "Folder (2008)" / "Real (2004).mkv") in indexed(library)


def test_links_into_an_allowed_link_target_are_indexed(tmp_path, movies, place, settings):
    downloads = tmp_path / "debrid"
    place(downloads, "done/Fetched.2009.mkv")
    os.symlink(downloads / "done" / "Fetched.2009.mkv", movies / "Fetched (2009).mkv")
    library = services.library_create(name="Movies", kind="movies", paths=[str(movies)])
    assert errors_of(scan(library)) == {str(movies / "Fetched (2009).mkv"): LEAVES}

    settings.LINK_TARGETS = [str(downloads)]
    assert errors_of(scan(library)) == {}
    assert str(movies / "Fetched (2009).mkv") in indexed(library)


def test_the_data_dir_never_counts_as_a_link_target(tmp_path, movies, settings, clips):
    settings.DATA_DIR = tmp_path / "data"
    settings.DATA_DIR.mkdir()
    shutil.copyfile(clips["mkv"], settings.DATA_DIR / "revenge.sqlite3")
    os.symlink(settings.DATA_DIR / "revenge.sqlite3", movies / "DB (2001).mkv")
    settings.LINK_TARGETS = [str(settings.DATA_DIR), str(tmp_path)]  # both refused: one is, one contains, the data
    library = services.library_create(name="Movies", kind="movies", paths=[str(movies)])
    assert errors_of(scan(library)) == {str(movies / "DB (2001).mkv"): LEAVES}


def test_a_folder_linked_out_of_the_library_is_not_entered(movies, outside, clips):
    shutil.copyfile(clips["mkv"], outside / "Inside Job (2010).mkv")
    os.symlink(outside, movies / "Escape")
    library = services.library_create(name="Movies", kind="movies", paths=[str(movies)])
    assert errors_of(scan(library)) == {str(movies / "Escape"): LEAVES}
    assert len(indexed(library)) == 1


def test_a_file_swapped_for_a_link_after_indexing_is_removed_by_the_next_scan(movies, outside):
    library = services.library_create(name="Movies", kind="movies", paths=[str(movies)])
    scan(library)
    good = movies / "Good (2000)" / "Good (2000).mkv"
    assert indexed(library) == {str(good)}
    good.unlink()
    os.symlink(outside / "revenge.sqlite3", good)

    result = scan(library)

    assert errors_of(result) == {str(good): LEAVES}
    assert indexed(library) == set()
    assert not path_contained(path=str(good), library=library)


def test_the_watcher_refuses_a_link_out_of_the_library(movies, outside):
    library = services.library_create(name="Movies", kind="movies", paths=[str(movies)])
    scan(library)
    os.symlink(outside / "secret_key", movies / "Key (2002).mkv")
    os.symlink(outside, movies / "Escape")

    result = library_paths_sync(library=library, paths=[str(movies / "Key (2002).mkv"), str(movies / "Escape")])

    assert errors_of(result)[str(movies / "Key (2002).mkv")] == LEAVES
    assert str(movies / "Key (2002).mkv") not in indexed(library)
    assert not any(p.startswith(str(movies / "Escape")) for p in indexed(library))


def test_sidecars_linked_out_of_the_library_are_never_read(movies, outside, place, clips):
    folder = movies / "Good (2000)"
    os.symlink(outside / "passwd", folder / "Good (2000).en.srt")
    (outside / "movie.nfo").write_text("<movie><title>Leaked</title><year>2000</year></movie>")
    os.symlink(outside / "movie.nfo", folder / "movie.nfo")
    shutil.copyfile(clips["mkv"], outside / "poster.jpg")
    os.symlink(outside / "poster.jpg", folder / "poster.jpg")
    (folder / "subs").mkdir()
    (folder / "subs" / "fr.srt").write_text(SRT)
    os.symlink(folder / "subs" / "fr.srt", folder / "Good (2000).fr.srt")  # stays inside: fine
    library = services.library_create(name="Movies", kind="movies", paths=[str(movies)])

    result = scan(library)

    errors = errors_of(result)
    for name in ("Good (2000).en.srt", "movie.nfo", "poster.jpg"):
        assert errors[str(folder / name)] == LEAVES
    assert list(Subtitle.objects.values_list("language", flat=True)) == ["fre"]
    assert Movie.objects.get().title == "Good"
    assert not Artwork.objects.exists()


def test_a_truncated_download_is_a_scan_error_not_a_movie(movies, place, tmp_path):
    from apps.core.testing.media import make_clip

    video = make_clip(tmp_path / "whole.mkv", audio_codec=None, width=320, height=240, pattern=1)
    place(movies, "Cut (2011)/Cut (2011).mkv", content=video.read_bytes()[:1500])
    library = services.library_create(name="Movies", kind="movies", paths=[str(movies)])

    errors = errors_of(scan(library))

    assert errors[str(movies / "Cut (2011)" / "Cut (2011).mkv")].startswith("no media data")
    cut = MediaFile.objects.get(path=str(movies / "Cut (2011)" / "Cut (2011).mkv"))
    assert cut.probe_status == MediaFile.ProbeStatus.FAILED and cut.movie is None
    assert not Movie.objects.filter(title="Cut", has_main_file=True).exists()


@pytest.mark.parametrize("where", ["data", "data/media", "", "transcode", "transcode/x"])
def test_a_library_folder_may_not_overlap_the_data_or_transcode_folder(tmp_path, settings, where):
    settings.DATA_DIR = tmp_path / "srv" / "data"
    settings.TRANSCODE_DIR = tmp_path / "srv" / "transcode"
    folder = tmp_path / "srv" / where
    folder.mkdir(parents=True, exist_ok=True)
    with pytest.raises(ValidationError) as refused:
        services.library_create(name="Sneaky", kind="movies", paths=[str(folder)])
    assert "cannot be a library folder" in str(refused.value)
    assert not Library.objects.exists()


def test_a_library_folder_linking_to_the_data_dir_is_refused_on_update(tmp_path, movies, settings):
    settings.DATA_DIR = tmp_path / "data"
    settings.DATA_DIR.mkdir()
    os.symlink(settings.DATA_DIR, tmp_path / "innocent")
    library = services.library_create(name="Movies", kind="movies", paths=[str(movies)])
    with pytest.raises(ValidationError) as refused:
        services.library_update(library=library, paths=[str(movies), str(tmp_path / "innocent")])
    assert "is the server's data folder" in str(refused.value)
    assert library.paths == [str(movies)]
