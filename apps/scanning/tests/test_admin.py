"""The operator's admin pages for libraries, scans and the catalogue."""

from __future__ import annotations

import pytest

from apps.accounts.models import Role
from apps.accounts.services import users
from apps.libraries import services
from apps.libraries.models import Library, LibraryScan
from apps.media.models import MediaFile, Movie
from apps.scanning import services as scanning

pytestmark = pytest.mark.django_db


@pytest.fixture
def library(tmp_path, place):
    root = tmp_path / "movies"
    place(root, "Heat (1995)/Heat (1995).mkv")
    place(root, "Broken (2001).mkv", content=b"nope" * 50)
    lib = services.library_create(name="Movies", kind="movies", paths=[str(root)])
    scanning.scan_run(scan=scanning.scan_begin(library=lib))
    return lib


def test_scan_now_queues_a_scan_once(admin_client, library):
    url = "/admin/libraries/library/"
    response = admin_client.post(url, {"action": "scan_now", "_selected_action": [library.pk]}, follow=True)
    assert b"queued" in response.content
    assert LibraryScan.objects.filter(status="pending").count() == 1
    again = admin_client.post(url, {"action": "full_scan_now", "_selected_action": [library.pk]}, follow=True)
    assert b"already pending" in again.content
    assert LibraryScan.objects.filter(status="pending").count() == 1


def test_scan_history_shows_progress_and_errors(admin_client, library):
    scan = LibraryScan.objects.get()
    listing = admin_client.get("/admin/libraries/libraryscan/")
    assert b"100 %" in listing.content
    detail = admin_client.get(f"/admin/libraries/libraryscan/{scan.pk}/change/")
    assert detail.status_code == 200
    assert b"Broken (2001).mkv" in detail.content


def test_cancel_action_stops_an_active_scan(admin_client, library):
    pending = scanning.scan_begin(library=library)
    admin_client.post(
        "/admin/libraries/libraryscan/", {"action": "cancel", "_selected_action": [pending.pk]}, follow=True
    )
    pending.refresh_from_db()
    assert pending.status == LibraryScan.Status.CANCELLED


def test_catalogue_pages_show_files_and_streams(admin_client, library):
    movie = Movie.objects.get(title="Heat")
    page = admin_client.get(f"/admin/media/movie/{movie.pk}/change/")
    assert page.status_code == 200 and b"Heat (1995).mkv" in page.content
    file = MediaFile.objects.get(movie=movie)
    file_page = admin_client.get(f"/admin/media/mediafile/{file.pk}/change/")
    assert file_page.status_code == 200 and b"h264" in file_page.content
    for url in ("/admin/media/movie/", "/admin/media/mediafile/", "/admin/media/show/", "/admin/media/episode/"):
        assert admin_client.get(url).status_code == 200


@pytest.fixture
def admin(db):
    role = Role.objects.select_related("group").get(group__name="admin")
    return users.user_create(username="ad", password="x" * 12, by=None, role=role)


def form(name: str, kind: str, *paths: str, **extra) -> dict:
    data = {"name": name, "kind": kind, "paths": "\n".join(paths), "enabled": "on", "scan_interval_minutes": 360}
    return {**data, **extra}


def test_the_admin_refuses_to_change_the_kind_and_keeps_the_catalogue(client, admin, tmp_path, place):
    root = tmp_path / "films"
    place(root, "Heat (1995)/Heat (1995).mkv")
    library = services.library_create(name="Films", kind="movies", paths=[str(root)])
    scanning.scan_run(scan=scanning.scan_begin(library=library))
    client.force_login(admin)
    url = f"/admin/libraries/library/{library.pk}/change/"
    response = client.post(url, form("Films", "shows", str(root)))
    assert response.status_code == 200
    assert "kind" in response.context["adminform"].form.errors
    library.refresh_from_db()
    assert library.kind == "movies" and library.files.count() == 1
    renamed = client.post(url, form("Movies", "movies", str(root)))
    assert renamed.status_code == 302
    assert Library.objects.get(pk=library.pk).name == "Movies"
