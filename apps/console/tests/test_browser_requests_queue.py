"""The requests queue in a real browser with a real worker: a profile and folder picked from Radarr's lists go
with the approval, and the Radarr stand-in receives the movie with them."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import expect

from apps.accounts.models import Role
from apps.console.tests.test_browser_dashboard import shoot, sign_in
from apps.console.tests.test_requests_queue import radarr_server_make
from apps.core.testing.accessibility import axe_violations, html_problems
from apps.core.testing.arr import FakeArr
from apps.core.testing.people import user_make
from apps.requests.models import MediaRequest

pytestmark = pytest.mark.django_db(transaction=True)


def _received_movie(radarr: FakeArr, seconds: float = 60.0) -> dict:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        posts = radarr.posts("/api/v3/movie")
        if posts:
            return posts[0]
        time.sleep(0.2)
    raise AssertionError("Radarr never received the movie")


def test_approve_with_a_profile_from_the_dropdown_reaches_radarr(page, redis_worker, radarr):
    server = radarr_server_make(radarr)
    alice, bob = user_make("alice"), user_make("bob")
    user_make("boss", role=Role.ADMIN)
    heat = MediaRequest.objects.create(kind="movie", tmdb_id=949, title="Heat", year=1995, requested_by=alice)
    heat.subscribers.add(bob)
    MediaRequest.objects.create(kind="movie", tmdb_id=329865, title="Arrival", year=2016, requested_by=bob)

    sign_in(page, "boss")
    page.goto("/admin/console/requests/")
    card = page.locator(f'[data-request="{heat.pk}"]')
    expect(card).to_contain_text("asked by alice")
    expect(card).to_contain_text("also wants it: bob")
    assert axe_violations(page) == []
    assert html_problems(page.content()) == []
    shoot(page, "console-requests")

    card.get_by_label("Quality profile").select_option(label="HD-1080p")
    card.get_by_label("Root folder").select_option("/movies")
    card.get_by_role("button", name="Approve").click()
    expect(page.locator(".messagelist")).to_contain_text("Approved Heat (1995).")
    expect(page.locator(f'[data-request="{heat.pk}"]')).to_have_count(0)

    sent = _received_movie(radarr)
    assert (sent["tmdbId"], sent["qualityProfileId"], sent["rootFolderPath"]) == (949, 4, "/movies")
    heat.refresh_from_db()
    assert heat.server == server and heat.arr_id is not None


def test_a_refused_choice_is_told_next_to_the_field(page, radarr):
    radarr_server_make(radarr, quality_profile_id=None, root_folder="")
    alice = user_make("alice")
    user_make("boss", role=Role.ADMIN)
    heat = MediaRequest.objects.create(kind="movie", tmdb_id=949, title="Heat", year=1995, requested_by=alice)
    sign_in(page, "boss")
    page.goto("/admin/console/requests/")
    card = page.locator(f'[data-request="{heat.pk}"]')
    card.get_by_role("button", name="Approve").click()  # no default profile on this server, and none chosen
    expect(card.locator(".ops-field-error")).to_contain_text("has no default quality profile: choose one")
    assert axe_violations(page) == []
    shoot(page, "console-requests-error")
    heat.refresh_from_db()
    assert heat.status == "pending"
