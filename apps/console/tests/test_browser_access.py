"""The console's access pages in a real browser: a library granted to a role in the matrix reaches that role's
members through the API, a moderator changes only the rows below them; axe and the HTML check on every page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from rest_framework.test import APIClient

from apps.accounts.models import Role
from apps.console.tests.test_browser_dashboard import DESKTOP, PHONE, shoot, sign_in
from apps.core.testing.accessibility import axe_violations, html_problems
from apps.core.testing.people import kids_role_make, user_make
from apps.libraries import services as library_services
from apps.media.models import Movie
from apps.scanning import services as scanning

pytestmark = pytest.mark.django_db(transaction=True)


def library_names_seen_by(user) -> list[str]:
    api = APIClient()
    api.force_authenticate(user)
    response = api.get("/api/v1/libraries/")
    assert response.status_code == 200
    body = response.json()
    return sorted(row["name"] for row in body.get("results", body))


def assert_accessible(page) -> None:
    assert axe_violations(page) == []
    assert html_problems(page.content()) == []


@pytest.fixture
def cartoons(tmp_path):
    (tmp_path / "cartoons").mkdir()
    library = library_services.library_create(name="Cartoons", kind="movies", paths=[str(tmp_path / "cartoons")])
    library_services.library_grants_set(library=library, roles={}, users={}, by=None)
    return library


def test_a_library_granted_to_a_role_in_the_matrix_reaches_its_members(page, cartoons):
    kids = kids_role_make()
    tim = user_make("tim", role=kids)
    user_make("boss", role=Role.ADMIN)
    assert library_names_seen_by(tim) == []

    sign_in(page, "boss")
    page.goto(f"/admin/libraries/library/{cartoons.pk}/change/")
    page.get_by_role("link", name="Who may see Cartoons: roles and users").click()
    expect(page.locator("h1")).to_have_text("Who may see Cartoons")
    page.get_by_label("View: kids").check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".messagelist")).to_contain_text("Saved who may see Cartoons.")
    expect(page.get_by_label("View: kids")).to_be_checked()
    assert library_names_seen_by(tim) == ["Cartoons"]
    assert_accessible(page)
    shoot(page, "console-grants")
    page.set_viewport_size(PHONE)
    shoot(page, "console-grants-phone")
    page.set_viewport_size(DESKTOP)

    page.goto(f"/admin/console/roles/{kids.pk}/grants/")
    expect(page.get_by_label("View: Cartoons")).to_be_checked()
    page.get_by_label("View: Cartoons").uncheck()
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".messagelist")).to_contain_text("Saved the libraries of kids (1 changed).")
    assert library_names_seen_by(tim) == []
    assert_accessible(page)
    shoot(page, "console-grants-role")


def test_a_moderator_changes_only_what_a_moderator_may(page, cartoons):
    user_make("mod", role=Role.MODERATOR)
    user_make("boss", role=Role.ADMIN)
    alice = user_make("alice")
    library_services.library_grants_set(library=cartoons, roles={}, users={"mod": ["manage_library"]}, by=None)

    sign_in(page, "mod")
    page.goto(f"/admin/console/libraries/{cartoons.pk}/grants/")
    expect(page.get_by_label("View: admin")).to_be_disabled()
    expect(page.get_by_label("View: moderator")).to_be_disabled()
    expect(page.get_by_label("Manage: mod", exact=True)).to_be_disabled()  # their own grant: not theirs to change
    expect(page.locator("#add_user option", has_text="boss")).to_have_count(0)
    page.select_option("#add_user", label="alice")
    page.get_by_label("Download: the user added").check()
    page.get_by_label("View: the user added").check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".messagelist")).to_contain_text("Saved who may see Cartoons.")
    expect(page.get_by_label("Download: alice")).to_be_checked()
    assert library_names_seen_by(alice) == ["Cartoons"]
    assert library_services.library_grants(library=cartoons)["users"]["mod"] == ["manage_library"]
    assert_accessible(page)
    shoot(page, "console-grants-moderator")


def test_the_role_page_has_typed_settings_and_tells_a_wrong_one_beside_it(page):
    kids = kids_role_make()
    user_make("boss", role=Role.ADMIN)
    sign_in(page, "boss")
    page.goto(f"/admin/accounts/role/{kids.pk}/change/")
    expect(page.get_by_label("Highest certification")).to_have_value("10")
    assert_accessible(page)
    shoot(page, "console-role")

    page.get_by_label("Concurrent streams").fill("-3")
    page.get_by_label("Highest certification").select_option("13")
    page.get_by_label("Movies").check()
    page.locator("input[type=submit][name=_continue]").click()
    expect(page.locator(".field-max_streams .errorlist")).to_contain_text("greater than or equal to 0")
    assert_accessible(page)
    shoot(page, "console-role-error")
    kids.refresh_from_db()
    assert (kids.max_streams, kids.max_parental_age, kids.allowed_library_kinds) == (0, 10, [])

    page.get_by_label("Concurrent streams").fill("2")
    page.locator("input[type=submit][name=_continue]").click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    kids.refresh_from_db()
    assert (kids.max_streams, kids.max_parental_age, kids.allowed_library_kinds) == (2, 13, ["movies"])


def test_a_users_own_setting_and_the_catalogue_as_they_see_it(page, tmp_path, place):
    for title in ("Heat (1995)", "Alien (1979)"):
        place(tmp_path / "movies", f"{title}/{title}.mkv")
    library = library_services.library_create(name="Movies", kind="movies", paths=[str(tmp_path / "movies")])
    scanning.scan_run(scan=scanning.scan_begin(library=library))
    Movie.objects.filter(title="Heat").update(certification="R", age_rating=17)
    alice = user_make("alice")
    user_make("boss", role=Role.ADMIN)
    sign_in(page, "boss")
    page.goto(f"/admin/accounts/user/{alice.pk}/change/")
    row = page.locator("tr.override-row", has_text="Concurrent streams")
    expect(row.locator("td strong")).to_have_text("3")
    assert_accessible(page)
    shoot(page, "console-user")

    row.get_by_label("Own value", exact=True).check()
    row.get_by_label("Concurrent streams: this user's own value").fill("40000")
    page.locator("input[type=submit][name=_continue]").click()
    expect(page.locator("tr.override-row.errors")).to_contain_text("less than or equal to 32767")
    assert_accessible(page)
    shoot(page, "console-user-error")

    page.locator("tr.override-row", has_text="Highest certification").get_by_label("Own value", exact=True).check()
    page.get_by_label("Highest certification: this user's own value").select_option("13")
    row.get_by_label("Concurrent streams: this user's own value").fill("5")
    page.locator("input[type=submit][name=_continue]").click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    expect(row.locator("td strong")).to_have_text("5")
    alice.refresh_from_db()
    assert alice.settings_overrides == {"max_streams": 5, "max_parental_age": 13}

    page.get_by_role("link", name="View the catalogue as alice").click()
    movies = page.locator("#movies-heading").locator("xpath=..")
    expect(movies.locator("tbody th")).to_have_text(["Alien"])  # Heat is rated R: above her own limit of 13
    assert_accessible(page)
    shoot(page, "console-user-view-as")
