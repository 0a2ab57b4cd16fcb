"""Fetching artwork: local files through the library's containment door, hostile ones refused with a reason,
identical bytes kept once, and a scan's artwork processed by a real worker."""

from __future__ import annotations

import os
import time

import pytest

from apps.core.testing.catalogue import MOVIE_NFO, movie_make
from apps.core.testing.clients import client_for
from apps.core.testing.images import image_bytes, png_of_zeros
from apps.libraries import services as library_services
from apps.media.models import Artwork, Movie, Person
from apps.metadata.images.fetch import artwork_fetch, artworks_fetch, artworks_pending
from apps.metadata.images.tasks import images_fetch
from apps.metadata.services import metadata_refresh
from apps.metadata.tmdb import client
from apps.scanning import services as scanning


@pytest.fixture(autouse=True)
def images_dir(settings, tmp_path):
    settings.IMAGES_DIR = tmp_path / "data" / "images"
    return settings.IMAGES_DIR


def movie_folder(place, root, title: str, images: dict[str, bytes]) -> None:
    folder = f"{title} (2000)"
    place(root, f"{folder}/{folder}.mkv")
    place(root, f"{folder}/movie.nfo", content=MOVIE_NFO.format(title=title, year=2000, mpaa="").encode())
    for name, data in images.items():
        place(root, f"{folder}/{name}", content=data)


def library_scanned(root, name: str = "Movies"):
    library = library_services.library_create(name=name, kind="movies", paths=[str(root)])
    scanning.scan_run(scan=scanning.scan_begin(library=library))
    return library


def artwork(title: str, kind: str) -> Artwork:
    return Artwork.objects.get(movie__title=title, kind=kind)


def hostile_movie(place, root, tmp_path) -> None:
    jpeg = image_bytes(800, 1200, seed=3)
    bomb = png_of_zeros(tmp_path / "bomb.png", 30_000, 30_000).read_bytes()
    movie_folder(
        place,
        root,
        "Hostile",
        {
            "poster.jpg": b"just some notes, not a poster\n",  # a text file named .jpg
            "fanart.jpg": jpeg[: len(jpeg) // 2],  # truncated
            "banner.png": bomb,  # 30,000 x 30,000
            "logo.png": b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "clearart.png": image_bytes(100, 100, fmt="PNG"),  # swapped for a link out of the library below
            "disc.png": image_bytes(100, 100, fmt="PNG", seed=5),  # deleted after the scan
        },
    )


def swap_after_scan(root, tmp_path) -> None:
    outside = tmp_path / "outside" / "secret.png"
    outside.parent.mkdir()
    outside.write_bytes(image_bytes(64, 64, fmt="PNG", seed=8))  # a perfectly good image, but not the library's
    link = root / "Hostile (2000)/clearart.png"
    link.unlink()
    link.symlink_to(outside)
    (root / "Hostile (2000)/disc.png").unlink()


EXPECTED = {
    "poster": "not an image (text)",
    "fanart": "broken JPEG image (image file is truncated",
    "banner": "too many pixels",
    "logo": "not an image (SVG is not accepted)",
    "clearart": "not read: link leaves the library folder",
    "disc": "the file is missing",
}


@pytest.mark.django_db
def test_local_artwork_is_fetched_and_hostile_files_are_refused_with_their_reason(tmp_path, place, images_dir):
    root = tmp_path / "movies"
    hostile_movie(place, root, tmp_path)
    movie_folder(place, root, "Fine", {"poster.jpg": image_bytes(600, 900, seed=1)})
    library = library_scanned(root)
    swap_after_scan(root, tmp_path)
    counts = artworks_fetch(library=library)
    assert (counts.stored, counts.refused, counts.pending) == (1, 6, 0)
    for kind, reason in EXPECTED.items():
        found = artwork("Hostile", kind)
        assert found.error.startswith(reason), (kind, found.error)
        assert found.content_hash == ""
    fine = artwork("Fine", "poster")
    assert (fine.width, fine.height, fine.error, len(fine.blurhash)) == (600, 900, "", 28)
    assert len(fine.content_hash) == 64
    stored = [p.name for p in (images_dir / "originals").rglob("*") if p.is_file()]
    assert stored == [f"{fine.content_hash}.jpg"]  # nothing of the hostile files was kept
    assert not artworks_pending(library=library).exists()
    assert artworks_fetch(library=library).stored == 0  # refused ones are not tried again


@pytest.mark.django_db
def test_the_same_bytes_under_two_artworks_are_stored_once(tmp_path, place, images_dir):
    root = tmp_path / "movies"
    same = image_bytes(500, 750, seed=4)
    movie_folder(place, root, "Original", {"poster.jpg": same})
    movie_folder(place, root, "Remake", {"poster.jpg": same, "fanart.jpg": same})
    artworks_fetch(library=library_scanned(root))
    hashes = set(Artwork.objects.values_list("content_hash", flat=True))
    assert len(hashes) == 1 and Artwork.objects.count() == 3
    assert len([p for p in (images_dir / "originals").rglob("*") if p.is_file()]) == 1


@pytest.mark.django_db
def test_only_the_libraries_own_artwork_is_fetched_and_in_batches(tmp_path, place):
    first, second = tmp_path / "one", tmp_path / "two"
    for i in range(3):
        movie_folder(place, first, f"One {i}", {"poster.jpg": image_bytes(200, 300, seed=i)})
    movie_folder(place, second, "Two", {"poster.jpg": image_bytes(200, 300, seed=9)})
    one, two = library_scanned(first, "One"), library_scanned(second, "Two")
    assert artworks_fetch(library=one, limit=2).stored == 2
    assert artworks_pending(library=one).count() == 1 and artworks_pending(library=two).count() == 1
    assert artworks_fetch(library=one).stored == 1
    assert artworks_pending(library=two).count() == 1


@pytest.mark.django_db
def test_a_local_image_of_a_person_is_refused_as_no_library_holds_it():
    person = Person.objects.create(name="Someone")
    item = Artwork.objects.create(person=person, kind="profile", source="local", path="/etc/hostname")
    assert artwork_fetch(artwork=item) is False
    item.refresh_from_db()
    assert item.error.startswith("a file of no library")


def wait_until(condition, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def test_a_scan_has_its_artwork_fetched_on_a_real_worker_which_survives_hostile_files(
    tmp_path, place, redis_worker, images_dir
):
    root = tmp_path / "movies"
    hostile_movie(place, root, tmp_path)
    movie_folder(place, root, "Fine", {"poster.jpg": image_bytes(600, 900, seed=1)})
    # The link out of the library is there before the scan this time: whatever the scan makes of it, no bytes
    # from outside are stored.
    swap_after_scan(root, tmp_path)
    library = library_scanned(root)  # library.scan_completed → metadata.images_fetch on the worker
    wait_until(lambda: not artworks_pending(library=library).exists())
    assert artwork("Fine", "poster").content_hash
    for kind in ("poster", "fanart", "banner", "logo"):
        assert artwork("Hostile", kind).error.startswith(EXPECTED[kind])
    # The worker is still there and working: a second library's artwork is fetched too.
    other = tmp_path / "other"
    movie_folder(place, other, "After", {"poster.jpg": image_bytes(300, 450, seed=2)})
    library_scanned(other, "Other")
    wait_until(lambda: bool(Artwork.objects.get(movie__title="After").content_hash))
    assert len([p for p in (images_dir / "originals").rglob("*") if p.is_file()]) == 2
    assert os.path.realpath(root / "Hostile (2000)/clearart.png").startswith(str(tmp_path / "outside"))


@pytest.fixture
def quick_retries(monkeypatch):
    monkeypatch.setattr(client, "BACKOFF", 0.01)


def tmdb_artwork(library, title: str, file_path: str, kind: str = "poster") -> Artwork:
    movie = Movie.objects.filter(title=title).first() or movie_make(library=library, title=title)
    return Artwork.objects.create(movie=movie, kind=kind, source="tmdb", path=file_path)


@pytest.mark.django_db
def test_tmdb_artwork_is_downloaded_through_the_client_and_served(tmp_path, tmdb, user):
    library = library_services.library_create(name="Movies", kind="movies", paths=[str(tmp_path)])
    tmdb.image_add("/kQ9poster.jpg", image_bytes(2000, 3000, seed=11))
    tmdb.image_add("/svg.jpg", b'<svg xmlns="http://www.w3.org/2000/svg"/>')
    poster = tmdb_artwork(library, "Matrix", "/kQ9poster.jpg")
    svg = tmdb_artwork(library, "Matrix", "/svg.jpg", kind="logo")
    gone = tmdb_artwork(library, "Matrix", "/gone.jpg", kind="fanart")
    counts = artworks_fetch(library=library)
    assert (counts.stored, counts.refused, counts.pending) == (1, 2, 0)
    poster.refresh_from_db(), svg.refresh_from_db(), gone.refresh_from_db()
    assert (poster.width, poster.height, poster.error) == (2000, 3000, "")
    assert tmdb.calls_to("/t/p/original/kQ9poster.jpg")
    assert svg.error == "not an image (SVG is not accepted)"
    assert gone.error == "TMDb: image not found"
    response = client_for(user).get(f"/api/v1/images/movie/{poster.movie_id}/?w=500", HTTP_ACCEPT="image/webp")
    assert response.status_code == 200 and response["Content-Type"] == "image/webp"


@pytest.mark.django_db
def test_while_tmdb_is_down_its_artwork_stays_pending_and_is_fetched_later(tmp_path, place, tmdb, quick_retries):
    root = tmp_path / "movies"
    movie_folder(place, root, "Local", {"poster.jpg": image_bytes(300, 450, seed=1)})
    library = library_scanned(root)
    for i in range(5):
        tmdb.image_add(f"/p{i}.jpg", image_bytes(300, 450, seed=20 + i))
        tmdb_artwork(library, f"Remote {i}", f"/p{i}.jpg")
    tmdb.down = "503"
    counts = artworks_fetch(library=library)
    assert (counts.stored, counts.refused, counts.pending) == (1, 0, 1)  # the local one; TMDb asked once
    assert len(tmdb.calls_to("/t/p/")) == client.ATTEMPTS  # one call's retries, not five calls' worth
    assert artworks_pending(library=library).count() == 5
    assert not Artwork.objects.exclude(error="").exists()
    tmdb.down = None
    assert artworks_fetch(library=library).stored == 5
    assert not artworks_pending(library=library).exists()


@pytest.mark.django_db
def test_without_tmdb_configured_nothing_is_asked_and_its_artwork_waits(tmp_path):
    library = library_services.library_create(name="Movies", kind="movies", paths=[str(tmp_path)])
    waiting = tmdb_artwork(library, "Matrix", "/p.jpg")
    counts = artworks_fetch(library=library)
    assert (counts.stored, counts.refused, counts.pending) == (0, 0, 1)
    waiting.refresh_from_db()
    assert (waiting.content_hash, waiting.error) == ("", "")


@pytest.mark.django_db
def test_the_task_fetches_a_librarys_artwork_and_ignores_a_library_that_is_gone(tmp_path, place):
    root = tmp_path / "movies"
    movie_folder(place, root, "Fine", {"poster.jpg": image_bytes(300, 450, seed=1), "fanart.jpg": b"notes\n"})
    library = library_scanned(root)
    assert images_fetch(library.pk) == {"stored": 1, "refused": 1, "pending": 0}
    assert images_fetch(library.pk + 1000) == {}


def test_a_rescan_keeps_fetched_artwork_and_the_providers_images(db, place, tmp_path):
    root = tmp_path / "movies"
    movie_folder(place, root, "Kept", {"poster.jpg": image_bytes(300, 450, seed=11)})
    library = library_scanned(root)
    artworks_fetch(library=library)
    poster = artwork("Kept", "poster")
    assert poster.content_hash and poster.blurhash
    provider = Artwork.objects.create(
        movie=poster.movie, kind="fanart", source="tmdb", path="/f.jpg", content_hash="c" * 64
    )
    place(root, "Kept (2000)/fanart.jpg", content=image_bytes(640, 360, seed=12))  # a new local image appears
    scanning.scan_run(scan=scanning.scan_begin(library=library, full=True))
    rows = {(a.source, a.kind): a for a in Artwork.objects.filter(movie=poster.movie)}
    assert set(rows) == {("local", "poster"), ("local", "fanart"), ("tmdb", "fanart")}
    # The unchanged poster is the same row, not read again; the provider's image was not dropped by the scan.
    assert rows[("local", "poster")].pk == poster.pk and rows[("local", "poster")].content_hash == poster.content_hash
    assert rows[("tmdb", "fanart")].pk == provider.pk and rows[("tmdb", "fanart")].content_hash == "c" * 64
    assert rows[("local", "fanart")].content_hash == ""  # waits for the worker's next fetch


def test_a_metadata_refresh_has_the_providers_images_fetched_on_a_real_worker(tmp_path, place, tmdb, redis_worker):
    tmdb.movie_add(949, "Heat", year=1995, poster="/heat.jpg", backdrop="/heat-backdrop.jpg")
    root = tmp_path / "movies"
    place(root, "Heat (1995)/Heat (1995).mkv")
    library = library_scanned(root)
    metadata_refresh(library=library)
    wait_until(lambda: not artworks_pending(library=library).exists())
    fetched = {a.kind: a for a in Artwork.objects.filter(movie__title="Heat", source="tmdb")}
    assert set(fetched) == {"poster", "fanart"}
    assert all(a.content_hash and a.width and a.blurhash for a in fetched.values())
