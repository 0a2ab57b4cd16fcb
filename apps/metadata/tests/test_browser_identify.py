"""Identify in a real browser: an operator finds an unmatched movie, searches TMDb, picks the right one."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from apps.accounts.models import Role
from apps.core.testing.browser import screenshot
from apps.core.testing.catalogue import movie_make
from apps.core.testing.people import PASSWORD, user_make
from apps.libraries import services as library_services
from apps.media.models import MetadataStatus, Movie

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_operator_identifies_an_unmatched_movie(page, tmdb, tmp_path):
    tmdb.movie_add(603, "The Matrix", year=1999, popularity=80, poster="/matrix.jpg", overview="A hacker learns.")
    tmdb.movie_add(604, "The Matrix Reloaded", year=2003, popularity=60, poster="/reloaded.jpg")
    (tmp_path / "movies").mkdir()
    library = library_services.library_create(name="Movies", kind="movies", paths=[str(tmp_path / "movies")])
    movie = movie_make(library=library, title="Matrix", year=1999, metadata_status=MetadataStatus.UNMATCHED)
    user_make("boss", role=Role.ADMIN)

    page.goto("/admin/login/?next=/admin/media/movie/%3Fmetadata_status__exact%3Dunmatched")
    page.fill("#id_username", "boss")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.get_by_role("link", name="Identify").first.click()
    expect(page).to_have_url(re.compile(rf"/admin/media/movie/{movie.pk}/identify/"))

    page.fill("#id_q", "matrix")
    page.click("#identify-search input[type=submit]")
    rows = page.locator("#identify-candidates tbody tr")
    expect(rows.first).to_contain_text("The Matrix")
    expect(rows).to_have_count(2)
    screenshot(page, "console-identify-candidates")
    page.set_viewport_size({"width": 390, "height": 844})  # a phone: the candidates must still be pickable
    expect(page.get_by_role("button", name="Pick TMDb 603")).to_be_visible()
    screenshot(page, "console-identify-phone")
    page.set_viewport_size({"width": 1280, "height": 800})
    page.fill("#id_q", "no such film anywhere")
    page.click("#identify-search input[type=submit]")
    expect(page.locator("#identify-candidates")).to_contain_text("TMDb has no candidates for this search.")
    screenshot(page, "console-identify-empty")
    page.fill("#id_q", "matrix")
    page.click("#identify-search input[type=submit]")

    page.get_by_role("button", name="Pick TMDb 603").click()
    expect(page).to_have_url(re.compile(rf"/admin/media/movie/{movie.pk}/change/"))
    screenshot(page, "console-identified-movie")
    movie = Movie.objects.get(pk=movie.pk)
    assert (movie.tmdb_id, movie.title, movie.metadata_status) == ("603", "The Matrix", MetadataStatus.MATCHED)
    assert "tmdb_id" in movie.locked_fields
