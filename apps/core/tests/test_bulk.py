"""objects_insert stores what bulk_create stores, and sets the primary keys."""

from __future__ import annotations

import pytest
from django.forms.models import model_to_dict

from apps.core.bulk import objects_insert
from apps.libraries import services
from apps.media.models import MediaFile, Movie

pytestmark = pytest.mark.django_db


def _movies(library, prefix: str) -> list[Movie]:
    return [
        Movie(library=library, match_key=f"{prefix}{i}", title=f"Title {i} ✓", sort_title="", year=1990 + i)
        for i in range(3)
    ]


def test_objects_insert_stores_what_bulk_create_stores(tmp_path):
    library = services.library_create(name="Movies", kind="movies", paths=[str(tmp_path)])
    ours = objects_insert(_movies(library, "a"))
    theirs = Movie.objects.bulk_create(_movies(library, "b"))
    assert all(m.pk and not m._state.adding for m in ours)
    skip = {"id", "match_key", "added_at", "updated_at"}
    for mine, reference in zip(ours, theirs, strict=True):
        stored = model_to_dict(Movie.objects.get(pk=mine.pk), exclude=skip)
        assert stored == model_to_dict(Movie.objects.get(pk=reference.pk), exclude=skip)
        assert Movie.objects.get(pk=mine.pk).added_at is not None


def test_objects_insert_of_files_with_a_movie_and_nulls(tmp_path):
    library = services.library_create(name="Movies", kind="movies", paths=[str(tmp_path)])
    movie = objects_insert(_movies(library, "c"))[0]
    files = [
        MediaFile(library=library, path=f"/m/{i}.mkv", size=2**40 + i, mtime_ns=2**62, movie=movie, duration=None)
        for i in range(2)
    ]
    objects_insert(files)
    stored = MediaFile.objects.get(pk=files[1].pk)
    assert (stored.path, stored.size, stored.mtime_ns, stored.movie_id, stored.duration) == (
        "/m/1.mkv",
        2**40 + 1,
        2**62,
        movie.pk,
        None,
    )
    assert objects_insert([]) == []
