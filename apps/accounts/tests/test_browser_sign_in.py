"""Signing in to the console in a real browser (Chromium through Playwright, against the live server)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from apps.accounts.models import Role
from apps.core.testing.browser import screenshot
from apps.core.testing.people import PASSWORD, user_make

pytestmark = pytest.mark.django_db(transaction=True)


def sign_in(page, username: str, password: str) -> None:
    page.goto("/admin/")
    expect(page).to_have_url(re.compile(r"/admin/login/\?next=/admin/$"))
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("input[type=submit]")


def test_an_admin_signs_in_and_reaches_the_console(page):
    user_make("boss", role=Role.ADMIN)
    sign_in(page, "boss", PASSWORD)
    expect(page).to_have_url(re.compile(r"/admin/$"))
    expect(page.get_by_role("link", name="Libraries").first).to_be_visible()
    screenshot(page, "console-home")


def test_a_wrong_password_stays_on_the_sign_in_page_with_a_reason(page):
    user_make("boss", role=Role.ADMIN)
    sign_in(page, "boss", "not the password")
    expect(page).to_have_url(re.compile(r"/admin/login/"))
    expect(page.locator(".errornote")).to_contain_text("correct username and password")
    screenshot(page, "console-sign-in-refused")


def test_a_member_without_console_access_is_not_let_in(page):
    user_make("alice")
    sign_in(page, "alice", PASSWORD)
    expect(page).to_have_url(re.compile(r"/admin/login/"))
    expect(page.get_by_role("link", name="Libraries")).to_have_count(0)
