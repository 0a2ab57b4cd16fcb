"""Scans and the catalogue they fill, through the API, as managers and ordinary users use it."""

from __future__ import annotations

import pytest

from apps.libraries import services
from apps.libraries.models import Library, LibraryScan
from apps.scanning import services as scanning

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(db):
    from apps.accounts.models import Role
    from apps.accounts.services import users

    admin = Role.objects.get(group__name=Role.ADMIN)
    return users.user_create(username="mona", password="pw-for-mona-123", by=None, role=admin)


@pytest.fixture
def indexed(tmp_path, place, django_db_blocker):
    root = tmp_path / "movies"
    place(root, "Inception (2010)/Inception (2010).mkv")
    place(root, "Heat (1995)/Heat (1995).mp4")
    place(root, "Blade Runner (1982)/Blade Runner (1982).avi")
    library = services.library_create(name="Movies", kind="movies", paths=[str(root)])
    scanning.scan_run(scan=scanning.scan_begin(library=library))
    return library, root


def test_users_read_but_cannot_change_libraries(api_client, user, indexed):
    library, root = indexed
    api_client.force_authenticate(user)
    listing = api_client.get("/api/v1/libraries/")
    assert listing.status_code == 200 and listing.json()["count"] == 1
    assert api_client.post("/api/v1/libraries/", {}, format="json").status_code == 403
    assert api_client.delete(f"/api/v1/libraries/{library.pk}/").status_code == 403
    assert api_client.post(f"/api/v1/libraries/{library.pk}/scan/").status_code == 403
    assert api_client.get("/api/v1/scans/").json()["count"] == 0


def test_scan_endpoint_queues_once_and_reports_the_running_scan(api_client, manager, indexed):
    library, root = indexed
    api_client.force_authenticate(manager)
    response = api_client.post(f"/api/v1/libraries/{library.pk}/scan/", {"full": True}, format="json")
    assert response.status_code == 202
    scan_id = response.json()["scan"]
    assert LibraryScan.objects.get(pk=scan_id).kind == "full"
    again = api_client.post(f"/api/v1/libraries/{library.pk}/scan/")
    assert again.status_code == 409
    assert again.json()["scan"] == scan_id and again.json()["code"] == "scan_running"
    detail = api_client.get(f"/api/v1/scans/{scan_id}/").json()
    assert detail["status"] == "pending" and detail["progress"] == 0.0 and detail["error_rows"] == []
    cancelled = api_client.post(f"/api/v1/scans/{scan_id}/cancel/")
    assert cancelled.json()["status"] == "cancelled"
    bad = api_client.post(f"/api/v1/libraries/{library.pk}/scan/", {"full": "sometimes"}, format="json")
    assert bad.status_code == 400 and "full" in bad.json()["errors"]


def test_scan_detail_shows_counters_and_errors(api_client, manager, indexed, place):
    library, root = indexed
    place(root, "Broken (2000).mkv", content=b"garbage" * 100)
    scan = scanning.scan_run(scan=scanning.scan_begin(library=library))
    api_client.force_authenticate(manager)
    detail = api_client.get(f"/api/v1/scans/{scan.pk}/").json()
    assert detail["status"] == "completed" and detail["progress"] == 1.0
    assert (detail["seen"], detail["unchanged"], detail["added"], detail["errors"]) == (4, 3, 1, 1)
    assert detail["error_rows"][0]["path"].endswith("Broken (2000).mkv")
    assert detail["error_rows"][0]["reason"]


def test_movies_list_filters_search_and_detail(api_client, user, indexed):
    api_client.force_authenticate(user)
    listing = api_client.get("/api/v1/movies/").json()
    assert [m["title"] for m in listing["results"]] == ["Blade Runner", "Heat", "Inception"]
    assert api_client.get("/api/v1/movies/?year=1995").json()["count"] == 1
    assert api_client.get("/api/v1/movies/?search=incep").json()["results"][0]["title"] == "Inception"
    assert api_client.get("/api/v1/movies/?codec=h264").json()["count"] == 2
    assert api_client.get("/api/v1/movies/?codec=mpeg4").json()["count"] == 1
    assert api_client.get("/api/v1/movies/?resolution=480p").json()["count"] == 3
    assert api_client.get("/api/v1/movies/?resolution=2160p").json()["count"] == 0
    assert api_client.get("/api/v1/movies/?hdr=SDR").json()["count"] == 3
    assert api_client.get("/api/v1/movies/?ordering=-year").json()["results"][0]["title"] == "Inception"
    assert api_client.get("/api/v1/movies/?resolution=9999p").status_code == 400
    assert api_client.get("/api/v1/movies/?year=abc").status_code == 400

    movie_id = listing["results"][2]["id"]
    detail = api_client.get(f"/api/v1/movies/{movie_id}/").json()
    assert detail["title"] == "Inception"
    (file,) = detail["files"]
    assert file["container"] == "mkv" and "path" not in file
    video = next(s for s in file["streams"] if s["type"] == "video")
    assert (video["codec"], video["width"], video["height"], video["hdr"]) == ("h264", 64, 48, "SDR")
    file_detail = api_client.get(f"/api/v1/files/{file['id']}/").json()
    assert file_detail["name"] == "Inception (2010).mkv"


def test_managers_see_file_paths(api_client, manager, indexed):
    api_client.force_authenticate(manager)
    file = api_client.get("/api/v1/files/").json()["results"][0]
    assert file["path"].startswith("/")


def test_disabled_libraries_are_invisible_to_users(api_client, user, indexed):
    library, root = indexed
    movie_id = library.movie_set.first().pk
    Library.objects.filter(pk=library.pk).update(enabled=False)
    api_client.force_authenticate(user)
    assert api_client.get("/api/v1/movies/").json()["count"] == 0
    assert api_client.get(f"/api/v1/movies/{movie_id}/").status_code == 404
    assert api_client.get(f"/api/v1/libraries/{library.pk}/").status_code == 404


def test_movie_list_costs_the_same_queries_for_any_length(api_client, user, indexed, django_assert_max_num_queries):
    api_client.force_authenticate(user)
    api_client.get("/api/v1/movies/")  # warm the caches every request shares (IP rules, settings)
    with django_assert_max_num_queries(8):
        assert api_client.get("/api/v1/movies/?page_size=200").status_code == 200
