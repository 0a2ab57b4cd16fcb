"""The library page's scan box: Scan now / Full scan through the scanning services, and the last scan's state."""

from __future__ import annotations

import pytest

from apps.libraries.models import LibraryScan

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def url(library) -> str:
    return f"/admin/console/libraries/{library.pk}/scan/"


def test_the_library_page_loads_its_scan_box(world, signed_in):
    page = signed_in(world.boss).get(f"/admin/libraries/library/{world.library.pk}/change/")
    assert page.status_code == 200
    assert f'hx-get="{url(world.library)}"' in page.content.decode()


def test_the_box_shows_the_last_scan_and_the_buttons(world, signed_in):
    html = signed_in(world.boss).get(url(world.library), **HTMX).content.decode()
    assert 'data-state="completed"' in html and "2 files seen, 2 added" in html
    assert "Scan now" in html and "Full scan" in html
    assert "hx-trigger" not in html  # nothing runs: no need to ask again


def test_scan_now_queues_a_scan_and_the_box_follows_it(world, signed_in):
    client = signed_in(world.mod)
    response = client.post(url(world.library), {"full": "1"}, **HTMX)
    html = response.content.decode()
    scan = LibraryScan.objects.filter(library=world.library).latest("created_at")
    assert scan.kind == LibraryScan.Kind.FULL and scan.status == LibraryScan.Status.PENDING
    assert f"Full scan {scan.pk} of Movies queued." in html
    assert 'data-state="running"' in html and 'hx-trigger="every 1s"' in html and "waiting for a worker" in html
    assert "Scan now" not in html  # one scan at a time
    again = client.post(url(world.library), {"full": "0"}, **HTMX).content.decode()
    assert 'role="alert"' in again
    assert LibraryScan.objects.filter(library=world.library, status__in=LibraryScan.ACTIVE).count() == 1


def test_scan_box_refuses_strangers_and_garbage(world, signed_in):
    assert signed_in(world.alice).post(url(world.library)).status_code == 302  # not staff: to sign in
    client = signed_in(world.boss)
    assert client.post("/admin/console/libraries/999999/scan/").status_code == 404
    assert client.post("/admin/console/libraries/-1/scan/").status_code == 404
    assert client.put(url(world.library)).status_code == 405
    before = LibraryScan.objects.count()
    assert client.post(url(world.library), {"full": "'; DROP TABLE x; --"}).status_code == 200
    scan = LibraryScan.objects.latest("created_at")
    assert LibraryScan.objects.count() == before + 1 and scan.kind == LibraryScan.Kind.INCREMENTAL
