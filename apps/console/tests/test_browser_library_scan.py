"""Scan now from a library's page in a real browser, with a real worker: the box follows the scan to its end."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from apps.accounts.models import Role
from apps.console.tests.test_browser_dashboard import shoot, sign_in
from apps.core.testing.people import user_make
from apps.libraries import services as library_services
from apps.libraries.models import LibraryScan

pytestmark = pytest.mark.django_db(transaction=True)


def test_scan_now_from_the_library_page_runs_to_the_end(page, redis_worker, tmp_path, place):
    for title in ("Heat (1995)", "Alien (1979)", "Ronin (1998)"):
        place(tmp_path / "movies", f"{title}/{title}.mkv")
    library = library_services.library_create(name="Movies", kind="movies", paths=[str(tmp_path / "movies")])
    user_make("boss", role=Role.ADMIN)
    sign_in(page, "boss")
    page.goto(f"/admin/libraries/library/{library.pk}/change/")
    box = page.locator(".console-scan-box")
    expect(box).to_contain_text("Never scanned.")

    box.get_by_role("button", name="Scan now").click()
    expect(box).to_contain_text(re.compile(r"Scan \d+ of Movies queued"))
    expect(box).to_have_attribute("data-state", "completed", timeout=60_000)
    expect(box).to_contain_text("3 files seen, 3 added")
    expect(box.locator("[role=progressbar]")).to_have_attribute("aria-valuenow", "100")
    expect(box.locator("[role=progressbar] span")).to_have_css("background-color", "rgb(48, 164, 108)")  # green
    expect(box.get_by_role("button", name="Full scan")).to_be_visible()
    assert LibraryScan.objects.get(library=library).status == LibraryScan.Status.COMPLETED
    shoot(page, "console-library-scan")
