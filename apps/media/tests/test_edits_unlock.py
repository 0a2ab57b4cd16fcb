"""Unlocking fields (apps/media/edits.py fields_unlock): only locked ones, all or nothing, audited and announced."""

from __future__ import annotations

import pytest

from apps.audit.models import Activity
from apps.core.testing.catalogue import movie_make
from apps.core.testing.people import user_make
from apps.libraries import services as library_services
from apps.media import edits
from apps.media.models import Movie

pytestmark = pytest.mark.django_db


@pytest.fixture
def movie(tmp_path):
    (tmp_path / "m").mkdir()
    library = library_services.library_create(name="Movies", kind="movies", paths=[str(tmp_path / "m")])
    return movie_make(library=library, title="Heat", year=1995, locked_fields=["title", "tagline"])


def test_unlocking_frees_the_fields_and_says_who_did_it(movie, received, django_capture_on_commit_callbacks):
    boss = user_make("boss", role="admin")
    with django_capture_on_commit_callbacks(execute=True):
        assert edits.fields_unlock(item=movie, fields=["tagline"], by=boss) == ["tagline"]
    assert Movie.objects.get(pk=movie.pk).locked_fields == ["title"] == movie.locked_fields
    activity = Activity.objects.get(event="catalogue_changed")
    assert (activity.actor_name, activity.message) == ("boss", "unlocked tagline of the movie")
    changed = [e for e in received if e.name == "catalogue.changed"]
    assert len(changed) == 1 and changed[0].payload["fields"] == ["locked_fields"]


@pytest.mark.parametrize("fields", [["year"], ["title", "year"], [""], ["title", "<script>"]])
def test_a_field_that_is_not_locked_unlocks_nothing(movie, fields):
    with pytest.raises(ValueError, match="not locked"):
        edits.fields_unlock(item=movie, fields=fields, by=None)
    assert Movie.objects.get(pk=movie.pk).locked_fields == ["title", "tagline"]
    assert not Activity.objects.filter(event="catalogue_changed").exists()
