"""The web app's frame in a real browser: sign in with the keyboard, the header's links, no accessibility faults."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from apps.core.testing.accessibility import axe_violations, html_problems
from apps.core.testing.people import PASSWORD, user_make

pytestmark = pytest.mark.django_db(transaction=True)
SCREENSHOTS = Path(__file__).resolve().parents[3] / "docs" / "screenshots"


def shoot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def test_sign_in_with_the_keyboard_then_sign_out(page, no_rate_limit):
    user_make("alice")
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login/\?next=/$"))
    assert axe_violations(page) == []
    assert html_problems(page.content()) == []
    shoot(page, "web-sign-in")
    page.get_by_label("Username").fill("alice")
    page.get_by_label("Password").fill("wrong")
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert")).to_have_text("Invalid username or password.")
    page.get_by_label("Password").fill(PASSWORD)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_role("navigation", name="Main").get_by_role("link", name="Home")).to_have_attribute(
        "aria-current", "page"
    )
    assert axe_violations(page) == []
    assert html_problems(page.content()) == []
    page.get_by_label("Account menu for alice").click()
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/login/$"))
