"""The console's media pages in a real browser: the preview player starts a session as the operator, plays it
(hls.js, a real transcode worker remuxing the mkv) past two seconds and stops the session on close; axe finds
nothing serious; screenshots of each page go to docs/screenshots/console-movie*.png and console-show*.png."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from apps.accounts.models import Role
from apps.console.tests.media_world import world_make
from apps.console.tests.test_browser_dashboard import PHONE, shoot, sign_in
from apps.core.testing.accessibility import axe_violations
from apps.core.testing.people import user_make
from apps.core.testing.workers import running_worker
from apps.media.models import Episode
from apps.playback.models import PlaybackSession

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def transcoder(transactional_db, tmp_path, settings):
    """A real Celery worker on the `transcode` queue, writing HLS segments under the test's folder."""
    settings.TRANSCODE_DIR = tmp_path / "transcode"
    with running_worker("transcode") as worker:
        yield worker


def test_the_preview_player_plays_the_film_and_stops_its_session(page, transcoder, tmdb, tmp_path):
    world = world_make(tmp_path, tmdb=tmdb, playable=True, seconds=8)
    boss = user_make("boss", role=Role.ADMIN)
    sign_in(page, "boss")
    page.goto(f"/admin/media/movie/{world.movie.pk}/change/")
    page.get_by_role("button", name="Preview").first.click()
    video = page.locator("video.cm-preview-video")
    expect(video).to_be_visible()
    page.wait_for_function("document.querySelector('video.cm-preview-video').currentTime > 2", timeout=90_000)
    session = PlaybackSession.objects.get(user=boss)
    assert session.is_active and session.media_file_id == world.film.pk and session.device == "Console preview"
    expect(page.locator("[data-preview]")).to_have_attribute("data-session", str(session.pk))
    shoot(page, "console-movie-preview")

    page.get_by_role("button", name="Close preview").click()
    expect(page.locator("[data-preview]")).to_have_attribute("data-closed", "1")
    session.refresh_from_db()
    assert not session.is_active and session.position > 2


def test_pages_pass_axe_and_are_shot(page, tmdb, tmp_path):
    world = world_make(tmp_path, tmdb=tmdb)
    user_make("boss", role=Role.ADMIN)
    sign_in(page, "boss")
    episode = Episode.objects.get(show=world.show, episode_number=1)
    pages = {
        "console-movie": f"/admin/media/movie/{world.movie.pk}/change/",
        "console-show": f"/admin/media/show/{world.show.pk}/change/",
        "console-show-episode": f"/admin/media/episode/{episode.pk}/change/",
    }
    for name, url in pages.items():
        page.goto(url)
        expect(page.locator(".cm-card")).to_be_visible()
        found = axe_violations(page)
        print(name, *found, sep="\n")
        assert found == [], name
        shoot(page, name)
    page.goto(pages["console-movie"])
    page.get_by_role("button", name="Search TMDb").click()
    expect(page.locator(".cm-candidates")).to_contain_text("Heat Wave")
    shoot(page, "console-movie-identify")
    assert axe_violations(page) == []
    box = page.locator("#cm-metadata")
    box.get_by_label("TMDb id").fill("0")
    box.get_by_role("button", name="Match by id").click()
    expect(box.locator(".cm-field-error")).to_have_text("Ensure this value is greater than or equal to 1.")
    shoot(page, "console-movie-identify-error")
    box.get_by_label("TMDb id").fill("950")
    box.get_by_role("button", name="Match by id").click()
    expect(box).to_contain_text("Matched to TMDb 950 (locked)")
    expect(box.locator('[data-locked="tmdb_id"]')).to_be_visible()
    box.get_by_role("button", name="Unlock tmdb_id").click()
    expect(box).to_contain_text("tmdb_id unlocked")
    expect(box.locator("[data-locked]")).to_have_count(0)
    box.get_by_role("button", name="Refresh metadata").click()
    expect(box).to_contain_text("Metadata refresh of Heat Wave (2009) queued (1 task).")
    page.set_viewport_size(PHONE)
    page.goto(pages["console-movie"])
    shoot(page, "console-movie-phone")
