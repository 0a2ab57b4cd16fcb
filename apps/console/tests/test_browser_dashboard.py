"""The dashboard in a real browser (Chromium through Playwright, against the live server): a stream started
through the API appears and moves without a reload, the operator ends it, a moderator sees a moderator's share,
and a member who reaches the console is told where to go. Screenshots go to docs/screenshots/."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client
from playwright.sync_api import expect
from rest_framework.test import APIClient

from apps.accounts.models import Role, User
from apps.core.testing.catalogue import session_for
from apps.core.testing.images import image_bytes
from apps.core.testing.media import make_clip
from apps.core.testing.people import PASSWORD, user_make
from apps.libraries import services as library_services
from apps.media.models import MediaFile
from apps.metadata.images.fetch import artworks_fetch
from apps.playback.models import PlaybackSession
from apps.scanning import services as scanning

pytestmark = pytest.mark.django_db(transaction=True)
SCREENSHOTS = Path(__file__).resolve().parents[3] / "docs" / "screenshots"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}


def shoot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def sign_in(page, username: str) -> None:
    page.goto("/admin/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    expect(page).to_have_url(re.compile(r"/admin/$"))


@pytest.fixture
def film(tmp_path) -> MediaFile:
    """A two-minute film in a library every member sees."""
    make_clip(tmp_path / "movies" / "Heat (1995)" / "Heat (1995).mkv", width=320, height=240, seconds=120, fps=2)
    (tmp_path / "movies" / "Heat (1995)" / "poster.jpg").write_bytes(image_bytes(300, 450, seed=3))
    library = library_services.library_create(name="Movies", kind="movies", paths=[str(tmp_path / "movies")])
    library_services.library_grants_set(library=library, roles={"user": ["view_library"]}, users={}, by=None)
    scanning.scan_run(scan=scanning.scan_begin(library=library))
    artworks_fetch(library=library)  # what the worker does after a scan: the poster is read and stored
    return MediaFile.objects.get(library=library)


def api_of(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


def test_a_stream_started_through_the_api_appears_moves_and_is_ended(page, film):
    user_make("boss", role=Role.ADMIN)
    alice = user_make("alice")
    sign_in(page, "boss")
    expect(page.locator("#panel-now-playing")).to_contain_text("Nobody is playing anything.")
    page.evaluate("window.consoleMarker = 'still the same page'")

    started = api_of(alice).post(
        "/api/v1/playback/sessions/", {"file": film.pk, "device_profile": "kodi", "device": "Living room TV"}
    )
    assert started.status_code == 201, started.content
    card = page.locator(f'[data-session="{started.json()["id"]}"]')
    expect(card).to_contain_text("Living room TV")
    expect(card).to_contain_text("Direct play")
    expect(card.locator(".np-at")).to_have_text("0:00")
    expect(card.locator("img.poster")).to_have_js_property("naturalWidth", 185)  # the poster, through the image API

    progress = f"/api/v1/playback/sessions/{started.json()['id']}/progress/"
    assert api_of(alice).post(progress, {"position": 30}, format="json").status_code in (200, 204)
    expect(card.locator(".np-at")).to_have_text("0:30")
    assert api_of(alice).post(progress, {"position": 90}, format="json").status_code in (200, 204)
    expect(card.locator(".np-at")).to_have_text("1:30")
    expect(card.locator("[role=progressbar]")).to_have_attribute("aria-valuenow", "75")
    assert page.evaluate("window.consoleMarker") == "still the same page"  # moved by htmx, not by a reload
    shoot(page, "console-dashboard")
    page.set_viewport_size(PHONE)
    expect(card.get_by_role("button", name="End stream")).to_be_visible()
    shoot(page, "console-dashboard-phone")
    page.set_viewport_size(DESKTOP)

    card.get_by_label("Message to the viewer").fill("Back in ten minutes: maintenance.")
    card.get_by_role("button", name="End stream").click()
    expect(page.locator("#panel-now-playing")).to_contain_text("Ended alice's stream of Heat")
    expect(card).to_have_count(0)
    session = PlaybackSession.objects.get(pk=started.json()["id"])
    assert session.state == PlaybackSession.State.STOPPED
    assert session.message == "Back in ten minutes: maintenance."


def test_a_moderator_sees_only_what_a_moderator_may(page, film):
    boss = user_make("boss", role=Role.ADMIN)
    alice = user_make("alice")
    user_make("mod", role=Role.MODERATOR)
    mine = session_for(alice, movie=film.movie, device="Kitchen tablet", position=600)
    hidden = session_for(boss, movie=film.movie, device="Boss laptop", position=60)
    sign_in(page, "mod")
    expect(page.locator(f'[data-session="{mine.pk}"]')).to_contain_text("Kitchen tablet")
    expect(page.locator(f'[data-session="{hidden.pk}"]')).to_have_count(0)
    expect(page.locator("#panel-now-playing .panel-totals")).to_contain_text("1 stream")
    expect(page.locator(".console-dots")).to_have_count(0)  # server health is an admin's
    expect(page.locator("#panel-libraries")).to_contain_text("Movies")
    shoot(page, "console-dashboard-moderator")


def test_a_member_at_the_console_is_told_where_to_go(page, live_server):
    user_make("alice")
    page.goto("/admin/")
    page.fill("#id_username", "alice")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    expect(page.locator(".errornote")).to_contain_text("This is the operator console")
    expect(page.locator(".errornote")).not_to_contain_text("staff account")
    shoot(page, "console-sign-in-member")

    signed_in = Client()
    signed_in.force_login(User.objects.get(username="alice"))  # signed in elsewhere, e.g. the API's session sign-in
    page.context.add_cookies(
        [{"name": "sessionid", "value": signed_in.cookies["sessionid"].value, "url": live_server.url}]
    )
    page.goto("/admin/")
    expect(page).to_have_url(re.compile(r"/admin/login/"))
    expect(page.get_by_role("heading", name="This is the operator console")).to_be_visible()
    expect(page.get_by_role("link", name="Go to the viewers' web app")).to_have_attribute("href", "/")
    expect(page.get_by_role("link", name="Libraries")).to_have_count(0)
    shoot(page, "console-not-operator")
    page.set_viewport_size(PHONE)
    shoot(page, "console-not-operator-phone")
