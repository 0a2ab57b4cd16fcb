"""Requests in a real browser: a member finds and requests a movie, a moderator approves, Radarr gets it."""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import expect

from apps.requests import services
from apps.requests.models import MediaRequest
from apps.web.tests.browsing import page_checked, posters_served, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_movie_requested_in_the_browser_reaches_radarr_once_approved(page, people, servers, radarr, redis_worker):
    posters_served(page)
    sign_in(page, "member")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Requests").click()
    expect(page.get_by_role("heading", name="Requests", level=1)).to_be_visible()
    page_checked(page, "web-requests")
    page.get_by_role("searchbox", name="Title").fill("heat arrival")
    page.get_by_role("button", name="Search").click()
    request_heat = page.get_by_role("button", name="Request Heat (1995)")
    expect(request_heat).to_be_visible()
    page_checked(page, "web-requests-search")
    request_heat.click()
    expect(page.get_by_role("status")).to_contain_text("Requested Heat (1995).")
    expect(page.get_by_text("Requested", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Cancel Heat (1995)")).to_be_visible()
    expect(page.get_by_text("0 of 1 left")).to_be_visible()
    # The second title is refused by the quota, with the API's words.
    page.get_by_role("button", name="Request Arrival (2016)").click()
    expect(page.get_by_role("alert")).to_have_text("You have used your 1 movie request of the last 7 days.")
    page_checked(page, "web-requests-quota")

    request = MediaRequest.objects.get()
    services.request_approve(request=request, by=people.moderator)
    deadline = time.monotonic() + 60
    while not radarr.posts("/api/v3/movie") and time.monotonic() < deadline:
        time.sleep(0.2)
    (added,) = radarr.posts("/api/v3/movie")
    assert added["tmdbId"] == 949 and added["rootFolderPath"] == "/movies"
    page.goto("/requests/")
    expect(page.get_by_text("Processing", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Cancel Heat (1995)")).to_have_count(0)


def test_a_guest_sees_no_request_link_and_is_told_on_the_page(page, people, servers):
    sign_in(page, "guest")
    expect(page.get_by_role("navigation", name="Main").get_by_role("link", name="Requests")).to_have_count(0)
    page.goto("/requests/")
    expect(page.get_by_role("alert")).to_have_text(re.compile("may not request titles"))
    expect(page.get_by_role("button", name=re.compile("^Request"))).to_have_count(0)
    page_checked(page, "web-requests-guest")


def test_requests_and_me_fit_a_phone(browser, live_server, people, servers):
    phone = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844}).new_page()
    posters_served(phone)
    sign_in(phone, "member")
    phone.goto("/requests/?kind=show&q=severance")
    expect(phone.get_by_role("button", name="Request Severance (2022)")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390, "nothing wider than the screen"
    page_checked(phone, "web-requests-phone")
    phone.goto("/me/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    page_checked(phone, "web-me-phone")
