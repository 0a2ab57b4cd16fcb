"""Genres and studios changed in the console: through the edits service, and cached titles show the change at once."""

from __future__ import annotations

import pytest

from apps.core.testing.clients import client_for
from apps.core.testing.people import user_make
from apps.media.models import Genre

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator_client(client):
    client.force_login(user_make("boss", role="admin", is_superuser=True, is_staff=True))
    return client


def test_a_renamed_genre_shows_at_once_in_a_cached_detail(world, operator_client):
    movie = world["matrix"]
    movie.genres.add(Genre.objects.create(name="Sci-Fi"))
    alice = client_for(user_make("alice"))
    url = f"/api/v1/movies/{movie.pk}/"
    assert "Sci-Fi" in alice.get(url).json()["genres"]  # now cached
    genre = Genre.objects.get(name="Sci-Fi")
    page = operator_client.post(f"/admin/media/genre/{genre.pk}/change/", {"name": "Science Fiction"})
    assert page.status_code == 302
    assert alice.get(url).json()["genres"] == ["Science Fiction"]


def test_a_deleted_genre_leaves_every_title(world, operator_client):
    movie = world["matrix"]
    movie.genres.add(Genre.objects.create(name="Sci-Fi"))
    alice = client_for(user_make("alice"))
    url = f"/api/v1/movies/{movie.pk}/"
    alice.get(url)
    genre = Genre.objects.get(name="Sci-Fi")
    page = operator_client.post(f"/admin/media/genre/{genre.pk}/delete/", {"post": "yes"})
    assert page.status_code == 302
    assert alice.get(url).json()["genres"] == []


def test_a_blank_or_duplicate_name_is_told_at_the_field_and_nothing_changes(world, operator_client):
    Genre.objects.create(name="Drama")
    genre = Genre.objects.create(name="Sci-Fi")
    for name, message in (("", "This field is required."), ("Drama", "already exists")):
        page = operator_client.post(f"/admin/media/genre/{genre.pk}/change/", {"name": name})
        assert page.status_code == 200 and message in page.content.decode()
    genre.refresh_from_db()
    assert genre.name == "Sci-Fi"
