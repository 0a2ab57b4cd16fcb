"""The metadata box of the console's media pages: refresh queued, identify against the TMDb stand-in (search
and pick, or an id), edits lock fields and the box unlocks them; broken input is told next to its field."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from apps.accounts.models import Role
from apps.audit.models import Activity
from apps.console.tests.media_world import world_make
from apps.core.testing.people import user_make
from apps.libraries import services as library_services
from apps.media.models import Episode, Movie

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def world(tmp_path, tmdb):
    return world_make(tmp_path, tmdb=tmdb)


@pytest.fixture
def boss() -> Client:
    client = Client()
    client.force_login(user_make("boss", role=Role.ADMIN))
    return client


def box_url(kind: str, pk: int) -> str:
    return f"/admin/console/media/{kind}/{pk}/metadata/"


def field_error(html: str, field: str) -> str:
    """The error told right beside `field` in the box ("" when none)."""
    found = re.search(rf'<label for="cm-{field}">.*?</label>.*?<p class="cm-field-error">([^<]+)</p>', html, re.S)
    return found.group(1) if found else ""


def test_refresh_queues_the_item_on_the_workers(world, boss, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as queued:
        response = boss.post(box_url("movie", world.movie.pk), {"action": "refresh"}, **HTMX)
    assert response.status_code == 200
    assert "Metadata refresh of Heat (1995) queued (1 task)." in response.content.decode()
    assert len(queued) == 1
    with django_capture_on_commit_callbacks() as queued:
        boss.post(box_url("show", world.show.pk), {"action": "refresh"}, **HTMX)
    assert len(queued) == 1


def test_identify_searches_tmdb_and_a_pick_matches_and_locks(world, boss):
    html = boss.get(box_url("movie", world.movie.pk), {"q": "Heat", "year": ""}, **HTMX).content.decode()
    assert "Heat Wave" in html and 'name="tmdb_id" value="950"' in html
    response = boss.post(box_url("movie", world.movie.pk), {"action": "identify", "tmdb_id": "950"}, **HTMX)
    assert "Matched to TMDb 950 (locked)" in response.content.decode()
    movie = Movie.objects.get(pk=world.movie.pk)
    assert (movie.tmdb_id, movie.title) == ("950", "Heat Wave")
    assert "tmdb_id" in movie.locked_fields
    assert Activity.objects.filter(event="metadata_identified").count() == 1


@pytest.mark.parametrize(
    ("tmdb_id", "told"),
    [
        ("999999", "TMDb has no movie with id 999999"),
        ("abc", "A TMDb id is a whole number, like 603."),
        ("-4", "Ensure this value is greater than or equal to 1."),
        ("99999999999", "Ensure this value is less than or equal to 2147483647."),
        ("", "Enter the TMDb id to match to."),
    ],
)
def test_a_bad_tmdb_id_is_told_beside_the_field_and_changes_nothing(world, boss, tmdb_id, told):
    before = Movie.objects.values().get(pk=world.movie.pk)
    response = boss.post(box_url("movie", world.movie.pk), {"action": "identify", "tmdb_id": tmdb_id}, **HTMX)
    assert field_error(response.content.decode(), "tmdb_id") == told
    assert Movie.objects.values().get(pk=world.movie.pk) == before
    # Without htmx the box comes back as a page of its own, with the same word, as a 400.
    plain = boss.post(box_url("movie", world.movie.pk), {"action": "identify", "tmdb_id": tmdb_id})
    assert plain.status_code == 400 and field_error(plain.content.decode(), "tmdb_id") == told


@pytest.mark.parametrize(
    ("query", "field", "told"),
    [
        ({"q": ""}, "q", "Enter a title to search TMDb for."),
        ({"q": "   "}, "q", "Enter a title to search TMDb for."),
        ({"q": "x" * 201}, "q", "Ensure this value has at most 200 characters (it has 201)."),
        ({"q": "Heat", "year": "nineteen"}, "year", "A year is four digits, like 1999."),
        ({"q": "Heat", "year": "12"}, "year", "Ensure this value is greater than or equal to 1870."),
    ],
)
def test_a_bad_search_is_told_beside_the_field_and_asks_tmdb_nothing(world, boss, tmdb, query, field, told):
    asked = len(tmdb.calls_to("/3/search"))
    response = boss.get(box_url("movie", world.movie.pk), query, **HTMX)
    assert field_error(response.content.decode(), field) == told
    assert len(tmdb.calls_to("/3/search")) == asked


def change_form_post(client: Client, world, **changes):
    """Post the movie's change form as the page holds it, with `changes`."""
    page = f"/admin/media/movie/{world.movie.pk}/change/"
    form = client.get(page).context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    data = {k: ("" if v is None else v) for k, v in data.items()}
    data.update({"files-TOTAL_FORMS": 1, "files-INITIAL_FORMS": 1, "files-MIN_NUM_FORMS": 0, "files-MAX_NUM_FORMS": 0})
    data.update({"files-0-id": world.film.pk, "files-0-movie": world.movie.pk, **changes})
    return client.post(page, data)


def test_an_edit_locks_the_field_shows_a_lock_and_the_box_unlocks_it(world, boss):
    page = f"/admin/media/movie/{world.movie.pk}/change/"
    response = change_form_post(boss, world, tagline="Brothers in arms.")
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    movie = Movie.objects.get(pk=world.movie.pk)
    assert movie.tagline == "Brothers in arms." and "tagline" in movie.locked_fields
    html = boss.get(page).content.decode()
    assert "Tagline 🔒" in html and 'data-locked="tagline"' in html and 'aria-label="Unlock tagline"' in html

    response = boss.post(box_url("movie", movie.pk), {"action": "unlock", "field": "tagline"}, **HTMX)
    assert "tagline unlocked" in response.content.decode()
    movie.refresh_from_db()
    assert "tagline" not in movie.locked_fields and movie.tagline == "Brothers in arms."
    assert Activity.objects.filter(event="catalogue_changed", message__startswith="unlocked tagline").exists()


def test_genres_changed_in_the_form_go_through_the_edits_service_and_lock(world, boss):
    keep = list(world.movie.genres.exclude(name="Drama").values_list("pk", flat=True))
    assert change_form_post(boss, world, genres=keep).status_code == 302
    movie = Movie.objects.get(pk=world.movie.pk)
    assert sorted(movie.genres.values_list("name", flat=True)) == ["Action", "Crime"]
    assert "genres" in movie.locked_fields
    assert Activity.objects.get(event="catalogue_changed").message == "changed genres of the movie"


def test_a_broken_form_is_told_beside_the_field_and_saves_nothing(world, boss):
    before = Movie.objects.values().get(pk=world.movie.pk)
    response = change_form_post(boss, world, year="nineteen", genres=[999999])
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "year" in errors and "genres" in errors
    assert Movie.objects.values().get(pk=world.movie.pk) == before
    assert not Activity.objects.filter(event="catalogue_changed").exists()


def test_unlocking_what_is_not_locked_says_so_and_changes_nothing(world, boss):
    before = Movie.objects.values().get(pk=world.movie.pk)
    for field in ("tagline", "no_such_field", ""):
        html = boss.post(box_url("movie", world.movie.pk), {"action": "unlock", "field": field}, **HTMX)
        assert "Nothing unlocked:" in html.content.decode()
    assert Movie.objects.values().get(pk=world.movie.pk) == before


def test_an_episode_edit_locks_and_unlocks_too(world, boss):
    episode = Episode.objects.get(show=world.show, episode_number=1)
    episode.locked_fields = ["title"]
    episode.save()
    html = boss.get(f"/admin/media/episode/{episode.pk}/change/").content.decode()
    assert 'data-locked="title"' in html and "Search TMDb" not in html
    boss.post(box_url("episode", episode.pk), {"action": "unlock", "field": "title"}, **HTMX)
    episode.refresh_from_db()
    assert episode.locked_fields == []
    refused = boss.post(box_url("episode", episode.pk), {"action": "refresh"}, **HTMX).content.decode()
    assert "Unknown action." in refused


def test_with_lookup_off_the_box_says_so_and_queues_nothing(world, boss, settings, django_capture_on_commit_callbacks):
    settings.TMDB_API_KEY = ""
    with django_capture_on_commit_callbacks() as queued:
        html = boss.post(box_url("movie", world.movie.pk), {"action": "refresh"}, **HTMX).content.decode()
    assert "Metadata lookup is off" in html and queued == []


def test_only_managers_reach_the_box_and_unknown_items_are_404(world, boss):
    library_services.library_grants_set(library=world.movies, roles={"user": ["view_library"]}, users={}, by=None)
    viewer = Client()
    viewer.force_login(user_make("vic", role=Role.MODERATOR, is_staff=True))
    assert viewer.post(box_url("movie", world.movie.pk), {"action": "refresh"}).status_code in (403, 404)
    assert Movie.objects.get(pk=world.movie.pk).locked_fields == world.movie.locked_fields
    for url in (box_url("movie", 999999), box_url("person", world.movie.pk), box_url("show", world.movie.pk * 1000)):
        assert boss.get(url).status_code == 404
