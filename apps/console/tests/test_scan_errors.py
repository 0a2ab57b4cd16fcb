"""Errors across scans: every file scans could not read, filterable by reason and library, only for those who
may see the scans."""

from __future__ import annotations

import pytest

from apps.accounts.models import Role
from apps.core.testing.accessibility import html_problems
from apps.core.testing.people import user_make
from apps.libraries import services as library_services
from apps.libraries.containment import LEAVES
from apps.libraries.models import LibraryScan, ScanError

pytestmark = pytest.mark.django_db
ERRORS = "/admin/libraries/scanerror/"


@pytest.fixture
def errors(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    films = library_services.library_create(name="Films", kind="movies", paths=[str(tmp_path / "a")])
    shows = library_services.library_create(name="Series", kind="shows", paths=[str(tmp_path / "b")])
    first = LibraryScan.objects.create(library=films, status="completed", errors=2)
    second = LibraryScan.objects.create(library=films, status="completed", errors=1)
    other = LibraryScan.objects.create(library=shows, status="completed", errors=1)
    ScanError.objects.create(scan=first, path="/a/x.mkv", reason="cannot read file: Permission denied")
    ScanError.objects.create(scan=first, path="/a/y.mkv", reason="Invalid data found when processing input")
    ScanError.objects.create(scan=second, path="/a/link", reason=LEAVES)
    ScanError.objects.create(scan=other, path="/b/\\xff.mkv", reason="file name is not valid UTF-8; rename the file")
    return films


def paths(page) -> list[str]:
    return sorted(page.context["cl"].queryset.values_list("path", flat=True))


def test_errors_across_scans_filter_by_reason_and_library(errors, client):
    client.force_login(user_make("boss", role=Role.ADMIN))
    page = client.get(ERRORS)
    html = page.content.decode()
    assert page.status_code == 200 and len(paths(page)) == 4
    assert "No access (permissions, unreachable)" in html and "Files that would not probe" in html
    assert html_problems(html) == []
    assert paths(client.get(ERRORS, {"reason": "unreadable"})) == ["/a/x.mkv"]
    assert paths(client.get(ERRORS, {"reason": "links"})) == ["/a/link"]
    assert paths(client.get(ERRORS, {"reason": "names"})) == ["/b/\\xff.mkv"]
    assert paths(client.get(ERRORS, {"reason": "media"})) == ["/a/y.mkv"]
    assert paths(client.get(ERRORS, {"scan__library__id__exact": errors.pk})) == ["/a/link", "/a/x.mkv", "/a/y.mkv"]
    assert client.get(ERRORS, {"reason": "<script>"}).status_code in (200, 302)
    assert "Errors across scans" in client.get("/admin/libraries/libraryscan/").content.decode()


def test_members_see_no_errors(errors, client):
    client.force_login(user_make("alice"))
    assert client.get(ERRORS).status_code in (302, 403)
