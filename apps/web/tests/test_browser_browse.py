"""Browsing in a real browser: home, a library's sort, filter and next page, search as you type, a movie, a show and
its season, a person; each page without accessibility faults, with screenshots at desktop and phone widths."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from apps.core.testing.catalogue import movie_make
from apps.playback.models import WatchState
from apps.web.tests.browsing import SCREENSHOTS, page_checked, sign_in

pytestmark = pytest.mark.django_db(transaction=True)
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}


def shoot(page, name: str, *, phone: bool = False) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.evaluate("window.scrollTo(0, 0)")  # a sticky header lands mid-page in a full-page shot taken scrolled
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    if phone:
        page.set_viewport_size(PHONE)
        page.screenshot(path=str(SCREENSHOTS / f"{name}-phone.png"), full_page=True)
        page.set_viewport_size(DESKTOP)


def posters_loaded(page) -> None:
    for image in page.locator("img[loading=lazy]").all()[:4]:
        image.scroll_into_view_if_needed()
        expect(image).not_to_have_js_property("naturalWidth", 0)


def test_home_and_a_library_sorted_filtered_and_paged(page, catalogue, no_rate_limit):
    WatchState.objects.create(
        user=catalogue.member,
        movie=catalogue.movie("Paddington"),
        position=1500,
        duration=5700,
        last_played_at="2026-01-01T00:00Z",
    )
    sign_in(page, "alice")
    expect(page.get_by_role("heading", name="Continue watching")).to_be_visible()
    expect(page.get_by_role("link", name="Resume Paddington")).to_have_attribute("href", re.compile(r"/watch/movie/"))
    posters_loaded(page)
    page_checked(page)
    shoot(page, "web-home", phone=True)
    for n in range(50):
        movie_make(library=catalogue.movies, title=f"Extra {n:02d}", certification="PG", age_rating=10)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Movies").click()
    expect(page.get_by_role("heading", name="Movies", level=1)).to_be_visible()
    expect(page.get_by_text("55 titles")).to_be_visible()
    page_checked(page)
    page.get_by_label("Genre").select_option("Crime")
    page.get_by_label("Sort by").select_option("year")
    page.get_by_label("Order").select_option("desc")
    page.get_by_role("button", name="Apply").click()
    expect(page.locator(".card-title")).to_have_text(["Zodiac", "Heat"])
    shoot(page, "web-library-filtered")
    page.get_by_role("link", name="Reset").click()
    cards = page.locator("#library-grid > li")
    expect(cards).to_have_count(48)
    page.get_by_role("button", name="Load more").click()  # htmx appends the next page in place
    expect(cards).to_have_count(55)
    expect(page.locator("#library-grid > li").nth(48).locator("a.card")).to_be_focused()
    expect(page.get_by_role("button", name="Load more")).to_have_count(0)
    page.get_by_role("link", name="Titles starting with T").click()
    expect(page.locator(".card-title")).to_have_text(["Toy Story"])
    page_checked(page)
    page.goto(f"/libraries/{catalogue.movies.pk}/?page=2")
    shoot(page, "web-library-page-2")


def test_the_next_page_without_javascript(browser, live_server, catalogue, no_rate_limit):
    for n in range(50):
        movie_make(library=catalogue.movies, title=f"Extra {n:02d}")
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    sign_in(page, "alice")
    page.goto(f"/libraries/{catalogue.movies.pk}/")
    expect(page.get_by_role("button", name="Load more")).to_be_hidden()
    page.get_by_role("link", name="Next page").click()
    expect(page.get_by_text("Page 2 of 2")).to_be_visible()
    expect(page.locator("#library-grid > li")).to_have_count(7)
    context.close()


def test_search_as_you_type(page, catalogue, no_rate_limit):
    sign_in(page, "alice")
    page.get_by_role("search").get_by_label("Search").fill("heat")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q=heat$"))
    expect(page.locator(".card-title").first).to_have_text("Heat")
    page.evaluate("window.marker = 'same page'")
    box = page.get_by_label("Titles and people")
    box.fill("")
    box.press_sequentially("padingtn", delay=40)  # a typo: forgiven
    expect(page.get_by_role("heading", name=re.compile("^Movies"))).to_be_visible()
    expect(page.locator("#search-results .card-title").first).to_have_text("Paddington")
    assert page.evaluate("window.marker") == "same page"  # swapped by htmx, not a reload
    expect(page).to_have_url(re.compile(r"q=padingtn"))
    page_checked(page)
    shoot(page, "web-search", phone=True)
    box.fill("")
    box.press_sequentially("pacino", delay=40)
    expect(page.get_by_role("heading", name=re.compile("^People"))).to_be_visible()
    box.fill("zz\u0007")
    box.press("Enter")
    expect(page.get_by_role("alert")).to_contain_text("control characters")


def test_movie_detail_resume_and_mark_watched(page, catalogue, no_rate_limit):
    heat = catalogue.movie("Heat")
    WatchState.objects.create(user=catalogue.member, movie=heat, position=2470, duration=10200)
    sign_in(page, "alice")
    page.goto(f"/libraries/{catalogue.movies.pk}/")
    posters_loaded(page)
    shoot(page, "web-library", phone=True)
    page.goto(f"/movies/{heat.pk}/")
    expect(page.get_by_role("link", name="Resume from 41:10")).to_have_attribute("href", f"/watch/movie/{heat.pk}/")
    expect(page.get_by_role("img", name="Poster of Heat")).not_to_have_js_property("naturalWidth", 0)
    page_checked(page)
    shoot(page, "web-movie", phone=True)
    page.get_by_role("button", name="Mark watched").click()
    expect(page.get_by_role("status")).to_contain_text("Marked Heat watched.")
    expect(page.get_by_role("button", name="Mark unwatched")).to_be_visible()
    page_checked(page)  # with the message
    page.get_by_role("link", name="Al Pacino").click()
    expect(page.get_by_role("heading", name="Al Pacino")).to_be_visible()
    expect(page.locator(".card-title")).to_have_count(2)
    page_checked(page)
    shoot(page, "web-person")


def test_show_and_season(page, catalogue, no_rate_limit):
    bluey = catalogue.show("Bluey")
    sign_in(page, "tim")
    page.goto(f"/shows/{bluey.pk}/")
    page_checked(page)
    shoot(page, "web-show", phone=True)
    page.get_by_role("link", name=re.compile("Season 1")).click()
    expect(page.get_by_role("heading", name="Season 1", level=1)).to_be_visible()
    expect(page.get_by_role("link", name="Play S1 E2", exact=True)).to_have_attribute(
        "href", re.compile(r"/watch/episode/\d+/$")
    )
    page.get_by_role("button", name="Mark S1 E1 watched").click()
    expect(page.get_by_role("status")).to_contain_text("Marked Bluey S01E01 watched.")
    expect(page.get_by_role("button", name="Mark S1 E1 unwatched")).to_be_visible()
    posters_loaded(page)
    page_checked(page)
    shoot(page, "web-season", phone=True)
