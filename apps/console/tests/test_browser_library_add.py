"""Add a library in a real browser: folders picked with the server-side picker, a missing folder told next to
the field, the library saved through the services."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from apps.accounts.models import Role
from apps.console.tests.test_browser_dashboard import shoot, sign_in
from apps.core.testing.accessibility import axe_violations, html_problems
from apps.core.testing.people import user_make
from apps.libraries.models import Library

pytestmark = pytest.mark.django_db(transaction=True)


def checked(page) -> None:
    found = axe_violations(page)
    assert found == [], "\n".join(found)
    assert html_problems(page.content()) == []


def test_pick_folders_and_add_a_library(page, tmp_path):
    for name in ("Movies", "Shows"):
        (tmp_path / "media" / name).mkdir(parents=True)
    (tmp_path / "media" / "readme.txt").write_text("not a folder")
    user_make("boss", role=Role.ADMIN)
    sign_in(page, "boss")
    page.goto("/admin/libraries/library/add/")
    picker = page.locator("#folder-picker")
    expect(picker.get_by_label("Folder")).to_be_visible()

    picker.get_by_label("Folder").fill(str(tmp_path / "media"))
    picker.get_by_role("button", name="Open").click()
    expect(page.locator("#folder-picker")).to_contain_text("Movies")
    expect(page.locator("#folder-picker")).not_to_contain_text("readme.txt")
    page.locator("#folder-picker").get_by_role("button", name=f"Add {tmp_path / 'media' / 'Movies'}").click()
    expect(page.locator("#id_paths")).to_have_value(str(tmp_path / "media" / "Movies"))
    checked(page)
    shoot(page, "console-library-add")

    page.locator("#id_paths").fill(f"{tmp_path / 'media' / 'Movies'}\n{tmp_path / 'media' / 'Gone'}")
    page.locator("#id_name").fill("Films")
    page.locator("#id_kind").select_option("movies")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator("#id_paths_error")).to_contain_text("is not an existing folder")
    assert not Library.objects.exists()
    checked(page)
    shoot(page, "console-library-add-error")

    page.locator("#id_paths").fill(str(tmp_path / "media" / "Movies"))
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    assert Library.objects.get().paths == [str(tmp_path / "media" / "Movies")]

    page.goto("/admin/libraries/library/add/")
    picker = page.locator("#folder-picker")
    picker.get_by_label("Folder").fill("/etc")
    picker.get_by_role("button", name="Open").click()
    expect(page.locator("#folder-picker [role=alert]")).to_contain_text("system folder /etc")
