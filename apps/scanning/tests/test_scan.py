"""Scanning movie libraries end to end on real files: indexing, rescans, moves, removals."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from apps.libraries import services
from apps.libraries.models import LibraryScan
from apps.media.models import Artwork, MediaFile, MediaStream, Movie, Subtitle
from apps.scanning import services as scanning

pytestmark = pytest.mark.django_db(transaction=True)

MOVIE_NFO = """<?xml version="1.0" encoding="UTF-8"?>
<movie>
  <title>Inception</title>
  <originaltitle>Inception</originaltitle>
  <year>2010</year>
  <plot>A thief who steals corporate secrets through dreams.</plot>
  <tagline>Your mind is the scene of the crime.</tagline>
  <runtime>148</runtime>
  <mpaa>PG-13</mpaa>
  <uniqueid type="imdb">tt1375666</uniqueid>
  <uniqueid type="tmdb">27205</uniqueid>
  <genre>Action</genre>
  <genre>Science Fiction</genre>
  <studio>Legendary Pictures</studio>
</movie>
"""


@pytest.fixture
def movies(tmp_path, place):
    root = tmp_path / "movies"
    place(root, "Inception (2010)/Inception (2010).mkv")
    place(root, "Inception (2010)/Inception (2010).en.srt", content=b"1\n00:00:00,000 --> 00:00:01,000\nHi\n")
    place(root, "Inception (2010)/Inception (2010).de.forced.srt", content=b"1\n00:00:00,000 --> 00:00:01,000\nHallo\n")
    place(root, "Inception (2010)/poster.jpg", content=b"\xff\xd8\xff\xe0 not really a jpeg")
    place(root, "Inception (2010)/fanart.jpg", content=b"\xff\xd8\xff\xe0")
    place(root, "Inception (2010)/movie.nfo", content=MOVIE_NFO.encode())
    place(root, "Inception (2010)/trailers/Inception trailer.mp4")
    place(root, "The.Matrix.1999.1080p.BluRay.x264-GRP.mp4")
    place(root, "Heat (1995)/Heat (1995) - 1080p.mkv")
    place(root, "Heat (1995)/Heat (1995) - 720p.mkv")
    place(root, "Blade Runner (1982)/Blade Runner (1982) - cd1.avi")
    place(root, "Blade Runner (1982)/Blade Runner (1982) - cd2.avi")
    place(root, ".hidden/Secret (2000).mkv")
    place(root, "@eaDir/Thumb (2000).mkv")
    return services.library_create(name="Movies", kind="movies", paths=[str(root)]), root


def scan(library, *, full=False) -> LibraryScan:
    return scanning.scan_run(scan=scanning.scan_begin(library=library, full=full))


def test_first_scan_indexes_movies_files_streams_and_sidecars(movies, received):
    library, root = movies
    result = scan(library)
    assert result.status == LibraryScan.Status.COMPLETED
    assert (result.seen, result.added, result.errors, result.unchanged) == (7, 7, 0, 0)
    assert result.progress == 1.0
    titles = sorted(Movie.objects.values_list("title", "year"))
    assert titles == [("Blade Runner", 1982), ("Heat", 1995), ("Inception", 2010), ("The Matrix", 1999)]

    inception = Movie.objects.get(title="Inception")
    assert inception.overview.startswith("A thief")
    assert (inception.tagline, inception.runtime, inception.certification) == (
        "Your mind is the scene of the crime.",
        148,
        "PG-13",
    )
    assert (inception.imdb_id, inception.tmdb_id) == ("tt1375666", "27205")
    assert sorted(inception.genres.values_list("name", flat=True)) == ["Action", "Science Fiction"]
    assert list(inception.studios.values_list("name", flat=True)) == ["Legendary Pictures"]
    main = inception.files.get(extra_type="")
    assert main.container == "mkv" and main.probe_status == MediaFile.ProbeStatus.OK
    assert main.duration == pytest.approx(1.0, abs=0.3)
    kinds = set(main.streams.values_list("type", flat=True))
    assert {"video", "audio"} <= kinds
    video = main.streams.get(type="video")
    assert (video.width, video.height, video.hdr) == (64, 48, "SDR")
    subs = {(s.language, s.forced, s.format) for s in Subtitle.objects.filter(file=main)}
    assert subs == {("eng", False, "srt"), ("ger", True, "srt")}
    assert set(Artwork.objects.filter(movie=inception).values_list("kind", flat=True)) == {"poster", "fanart"}
    assert inception.files.get(extra_type__gt="").extra_type == "trailer"

    heat = Movie.objects.get(title="Heat")
    assert sorted(heat.files.values_list("version", flat=True)) == ["1080p", "720p"]
    blade = Movie.objects.get(title="Blade Runner")
    assert sorted(blade.files.values_list("part", flat=True)) == [1, 2]
    assert not MediaFile.objects.filter(path__contains="Secret").exists()
    assert not MediaFile.objects.filter(path__contains="Thumb").exists()

    names = [e.name for e in received]
    assert names[0] == "library.scan_started" and names[-1] == "library.scan_completed"
    assert names.count("movie.added") == 4
    assert received[-1].payload["counters"]["added"] == 7


def test_unchanged_rescan_probes_and_writes_nothing(movies, django_assert_max_num_queries):
    library, root = movies
    scan(library)
    stamps = dict(MediaFile.objects.values_list("id", "last_scanned_at"))
    streams = MediaStream.objects.count()
    # The query count is fixed however many files the library holds. It includes the task runs recorded for the
    # work queued after every scan (4 queries each): the provider images' fetch and the warming of home rows.
    with django_assert_max_num_queries(24):
        again = scan(library)
    assert (again.seen, again.unchanged, again.added, again.updated, again.removed) == (7, 7, 0, 0, 0)
    assert dict(MediaFile.objects.values_list("id", "last_scanned_at")) == stamps
    assert MediaStream.objects.count() == streams


def test_a_changed_file_is_probed_again(movies, clips):
    library, root = movies
    scan(library)
    target = root / "The.Matrix.1999.1080p.BluRay.x264-GRP.mp4"
    before = MediaFile.objects.get(path=str(target))
    target.write_bytes(clips["mkv"].read_bytes())
    os.utime(target, ns=(before.mtime_ns + 10**9, before.mtime_ns + 10**9))
    again = scan(library)
    assert (again.updated, again.unchanged) == (1, 6)
    after = MediaFile.objects.get(pk=before.pk)
    assert after.container == "mkv" and after.size != before.size


def test_a_full_scan_rereads_everything(movies):
    library, root = movies
    scan(library)
    full = scan(library, full=True)
    assert full.kind == "full"
    assert (full.updated, full.unchanged, full.added) == (7, 0, 0)


def test_a_moved_or_renamed_file_keeps_its_ids(movies):
    library, root = movies
    scan(library)
    old = MediaFile.objects.get(path__endswith="Inception (2010)/Inception (2010).mkv")
    movie_id = old.movie_id
    os.rename(root / "Inception (2010)/Inception (2010).mkv", root / "Inception (2010)/Inception.2010.mkv")
    (root / "Heat (1995)").rename(root / "Heat (1995) [imdbid-tt0113277]")
    again = scan(library)
    assert again.moved == 3 and again.removed == 0 and again.added == 0
    moved = MediaFile.objects.get(pk=old.pk)
    assert moved.path.endswith("Inception.2010.mkv")
    assert moved.movie_id == movie_id
    assert Movie.objects.get(title="Heat").files.count() == 2


def test_a_copy_of_a_moved_file_found_first_does_not_take_its_row(movies, place):
    library, root = movies
    scan(library)
    old = MediaFile.objects.get(path=str(root / "Inception (2010)/Inception (2010).mkv"))
    (root / "Inception (2010)").rename(root / "Inception.2010")
    place(root, "A Copy (2000)/A Copy (2000).mkv")  # the same clip: same size and fingerprint, walked first
    again = scan(library)
    assert (again.moved, again.added) == (2, 1)
    assert MediaFile.objects.get(pk=old.pk).path == str(root / "Inception.2010/Inception (2010).mkv")


def test_a_copy_elsewhere_is_recognised_by_fingerprint(movies, tmp_path):
    library, root = movies
    scan(library)
    old = MediaFile.objects.get(path__endswith="The.Matrix.1999.1080p.BluRay.x264-GRP.mp4")
    source = Path(old.path)
    target = root / "The Matrix (1999)" / "The Matrix (1999).mp4"
    target.parent.mkdir()
    target.write_bytes(source.read_bytes())
    source.unlink()
    again = scan(library)
    assert again.moved == 1
    assert MediaFile.objects.get(pk=old.pk).path == str(target)


def test_items_stay_until_their_last_file_is_gone(movies, received):
    library, root = movies
    scan(library)
    blade = Movie.objects.get(title="Blade Runner")
    (root / "Blade Runner (1982)/Blade Runner (1982) - cd2.avi").unlink()
    first = scan(library)
    assert first.removed == 1
    assert Movie.objects.filter(pk=blade.pk).exists()
    (root / "Blade Runner (1982)/Blade Runner (1982) - cd1.avi").unlink()
    received.clear()
    second = scan(library)
    assert second.removed == 1
    assert not Movie.objects.filter(pk=blade.pk).exists()
    removed = [e.payload for e in received if e.name == "media.removed"]
    assert removed == [{"kind": "movie", "id": blade.pk, "library_id": library.pk, "title": "Blade Runner"}]


def test_a_movie_with_only_extras_left_is_not_listed(movies, user):
    from apps.media.selectors import movies_visible_to

    library, root = movies
    scan(library)
    (root / "Inception (2010)/Inception (2010).mkv").unlink()
    scan(library)
    assert not movies_visible_to(user=user).filter(title="Inception").exists()
    assert Movie.objects.filter(title="Inception").exists()


def test_nfo_rich_libraries_cost_a_few_queries_per_batch(tmp_path, place, django_assert_max_num_queries):
    root = tmp_path / "nfo"
    for i in range(30):
        place(root, f"Film {i} ({2000 + i})/Film {i} ({2000 + i}).mkv")
        nfo = f"<movie><title>Film {i}</title><mpaa>PG</mpaa><genre>G{i % 3}</genre><studio>S{i}</studio></movie>"
        place(root, f"Film {i} ({2000 + i})/movie.nfo", content=nfo.encode())
    library = services.library_create(name="NFO", kind="movies", paths=[str(root)])
    with django_assert_max_num_queries(63):
        result = scan(library)
    assert result.added == 30
    assert Movie.objects.filter(genres__name="G1").count() == 10
    assert Movie.objects.get(title="Film 7").studios.get().name == "S7"


def test_changed_nfo_replaces_genres(movies):
    library, root = movies
    scan(library)
    nfo = MOVIE_NFO.replace("<genre>Action</genre>\n  <genre>Science Fiction</genre>", "<genre>Thriller</genre>")
    (root / "Inception (2010)/movie.nfo").write_text(nfo)
    scan(library, full=True)
    assert list(Movie.objects.get(title="Inception").genres.values_list("name", flat=True)) == ["Thriller"]
