"""Movie.has_main_file (what lists show) follows the files through scans: extras alone do not make a movie listed."""

from __future__ import annotations

import os

import pytest

from apps.libraries import services
from apps.media.models import Movie
from apps.scanning import services as scanning

pytestmark = pytest.mark.django_db


def scan(library, *, full: bool = False) -> None:
    scanning.scan_run(scan=scanning.scan_begin(library=library, full=full))


def listed(title: str) -> bool:
    return Movie.objects.get(title=title).has_main_file


def test_a_new_movie_is_created_with_the_flag_its_files_give_it(tmp_path, place):
    root = tmp_path / "movies"
    place(root, "Arrival (2016)/Arrival (2016).mkv")
    place(root, "Arrival (2016)/trailers/Arrival trailer.mp4")  # main and extra in one batch
    place(root, "Heat (1995)/trailers/Heat trailer.mkv")  # an extra alone
    library = services.library_create(name="Movies", kind="movies", paths=[str(root)])
    scan(library)
    assert listed("Arrival") is True
    assert listed("Heat") is False


def test_the_flag_follows_a_main_file_that_comes_and_goes(tmp_path, place):
    root = tmp_path / "movies"
    place(root, "Heat (1995)/trailers/Heat trailer.mkv")
    library = services.library_create(name="Movies", kind="movies", paths=[str(root)])
    scan(library)
    assert listed("Heat") is False
    main = place(root, "Heat (1995)/Heat (1995).mkv")
    scan(library)
    assert listed("Heat") is True
    scan(library, full=True)  # everything indexed again: still listed
    assert listed("Heat") is True
    os.remove(main)
    scan(library)
    assert listed("Heat") is False


def test_a_main_file_that_does_not_probe_does_not_list_its_movie(tmp_path, place):
    # A file that is not media belongs to no movie: the trailer alone is what the movie has.
    root = tmp_path / "movies"
    place(root, "Heat (1995)/trailers/Heat trailer.mkv")
    (root / "Heat (1995)" / "Heat (1995).mkv").write_bytes(b"\x1a\x45\xdf\xa3 not really matroska")
    library = services.library_create(name="Movies", kind="movies", paths=[str(root)])
    scan(library)
    assert Movie.objects.filter(title="Heat").count() == 1
    assert listed("Heat") is False
