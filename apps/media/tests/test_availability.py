"""movie.available / episode.available: once, when an item gains its first playable main file, through real scans."""

from __future__ import annotations

import pytest

from apps.libraries import services
from apps.media.models import Movie
from apps.scanning import services as scanning
from apps.scanning.services import library_paths_sync

pytestmark = pytest.mark.django_db
SHOW_NFO = b"<tvshow><title>Kind Show</title></tvshow>"


def available(received, name: str = "movie.available") -> list[dict]:
    return [event.payload for event in received if event.name == name]


def scan(library, *, full: bool = False) -> None:
    scanning.scan_run(scan=scanning.scan_begin(library=library, full=full))


def test_a_scanned_movie_is_announced_once(tmp_path, place, received, django_capture_on_commit_callbacks):
    root = tmp_path / "movies"
    place(root, "Heat (1995)/Heat (1995).mkv")
    place(root, "Broken (2000)/Broken (2000).mkv", content=b"not a video at all" * 50)
    library = services.library_create(name="Movies", kind="movies", paths=[str(root)])
    with django_capture_on_commit_callbacks(execute=True):
        scan(library)
    heat = Movie.objects.get(title="Heat")
    assert available(received) == [{"movie_id": heat.pk, "library_id": library.pk, "title": "Heat", "year": 1995}]

    # A rescan, a full rescan and a second version of the same movie announce nothing more.
    place(root, "Heat (1995)/Heat (1995) - 1080p.mkv")
    with django_capture_on_commit_callbacks(execute=True):
        scan(library)
        scan(library, full=True)
    assert heat.files.count() == 2
    assert len(available(received)) == 1


def test_an_extra_alone_is_not_available_and_the_main_file_through_the_watcher_is(
    tmp_path, place, received, django_capture_on_commit_callbacks
):
    root = tmp_path / "movies"
    trailer = place(root, "Alien (1979)/Alien (1979)-trailer.mkv")
    library = services.library_create(name="Movies", kind="movies", paths=[str(root)])
    with django_capture_on_commit_callbacks(execute=True):
        scan(library)
    assert available(received) == []
    main = place(root, "Alien (1979)/Alien (1979).mp4")
    with django_capture_on_commit_callbacks(execute=True):
        library_paths_sync(library=library, paths=[str(main), str(trailer)])
    [event] = available(received)
    assert event["title"] == "Alien" and event["movie_id"] == Movie.objects.get(title="Alien").pk
    with django_capture_on_commit_callbacks(execute=True):
        library_paths_sync(library=library, paths=[str(main)], forced=[str(main)])
    assert len(available(received)) == 1


def test_a_movie_that_lost_its_file_and_gets_a_new_one_is_announced_again(
    tmp_path, place, received, django_capture_on_commit_callbacks
):
    root = tmp_path / "movies"
    first = place(root, "Heat (1995)/Heat (1995).mkv")
    place(root, "Other (2001)/Other (2001).mkv")  # an empty library looks like an unmounted disk: nothing goes
    library = services.library_create(name="Movies", kind="movies", paths=[str(root)])
    with django_capture_on_commit_callbacks(execute=True):
        scan(library)
        first.unlink()
        scan(library)
        place(root, "Heat (1995)/Heat (1995).mp4")
        scan(library)
    assert [e.name for e in received if e.name == "media.removed"] == ["media.removed"]
    assert sorted(e["title"] for e in available(received)) == ["Heat", "Heat", "Other"]


def test_episodes_are_announced_once_each(tmp_path, place, received, django_capture_on_commit_callbacks):
    root = tmp_path / "tv"
    place(root, "Kind Show/tvshow.nfo", content=SHOW_NFO)
    place(root, "Kind Show/Season 01/Kind Show - S01E01.mkv")
    place(root, "Kind Show/Season 01/Kind Show - S01E02.mkv")
    library = services.library_create(name="TV", kind="shows", paths=[str(root)])
    with django_capture_on_commit_callbacks(execute=True):
        scan(library)
        scan(library, full=True)
    episodes = available(received, "episode.available")
    assert sorted((e["show"], e["season"], e["episode"]) for e in episodes) == [
        ("Kind Show", 1, 1),
        ("Kind Show", 1, 2),
    ]
    assert all(e["library_id"] == library.pk for e in episodes)
    assert available(received) == [], "episodes are not movies"


def test_which_items_are_playable_is_decided_by_their_main_files(tmp_path):
    from apps.media.availability import items_playable
    from apps.media.models import MediaFile

    library = services.library_create(name="Films", kind="movies", paths=[str(tmp_path)])
    movies = {
        name: Movie.objects.create(library=library, match_key=name, title=name, sort_title=name)
        for name in ("main", "extra_only", "failed", "none", "main_and_extra")
    }
    files = [
        ("main", "", MediaFile.ProbeStatus.OK),
        ("extra_only", "trailer", MediaFile.ProbeStatus.OK),
        ("failed", "", MediaFile.ProbeStatus.FAILED),
        ("main_and_extra", "", MediaFile.ProbeStatus.OK),
        ("main_and_extra", "behindthescenes", MediaFile.ProbeStatus.OK),
        ("main_and_extra", "", MediaFile.ProbeStatus.OK),  # a second version: the movie is listed once
    ]
    for number, (name, extra, status) in enumerate(files):
        MediaFile.objects.create(
            library=library,
            path=f"{tmp_path}/{number}.mkv",
            size=1,
            mtime_ns=1,
            movie=movies[name],
            extra_type=extra,
            probe_status=status,
        )
    ids = {movie.pk for movie in movies.values()}
    gone = max(ids) + 1000  # no such movie: not an error, just not playable
    assert items_playable(movie_ids=[*ids, gone, gone]) == ({movies["main"].pk, movies["main_and_extra"].pk}, set())
    assert items_playable(movie_ids=(movies["failed"].pk,)) == (set(), set())
    assert items_playable() == (set(), set())
