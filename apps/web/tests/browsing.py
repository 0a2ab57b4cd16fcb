"""Helpers of the web app's browser tests: sign in through the form, check a page, keep its screenshot."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page, expect

from apps.core.testing.accessibility import axe_violations, html_problems
from apps.core.testing.images import image_bytes
from apps.core.testing.people import PASSWORD

SCREENSHOTS = Path(__file__).resolve().parents[3] / "docs" / "screenshots"


def sign_in(page: Page, username: str, password: str = PASSWORD) -> None:
    page.goto("/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page).not_to_have_url(re.compile(r"/login/"))


def page_checked(page: Page, screenshot: str | None = None) -> None:
    """No serious accessibility fault, no duplicate id or unlabelled input; the picture kept for a person to see."""
    violations = axe_violations(page)
    assert violations == [], violations
    problems = html_problems(page.content())
    assert problems == [], problems
    if screenshot:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{screenshot}.png"), full_page=True)


def posters_served(page: Page) -> None:
    """Posters of the Radarr stand-in (http://img/...) drawn here: the browser never leaves the machine."""
    poster = image_bytes(200, 300, seed=3)
    page.route("http://img/**", lambda route: route.fulfill(status=200, body=poster, content_type="image/jpeg"))
