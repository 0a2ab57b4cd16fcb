"""objects_insert stores what bulk_create stores, and sets the primary keys; rows_insert stores its tuples."""

from __future__ import annotations

import pytest
from django.forms.models import model_to_dict

from apps.core.bulk import objects_insert, rows_insert
from apps.libraries import services
from apps.media.models import MediaFile, MediaStream, Movie

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


@pytest.mark.parametrize("count", [1, 3, 5001], ids=["one", "a few", "past one batch"])
def test_rows_insert_stores_tuples_with_nulls_and_big_values(tmp_path, count):
    library = services.library_create(name="Movies", kind="movies", paths=[str(tmp_path)])
    file = MediaFile.objects.create(library=library, path="/m/a.mkv", size=1, mtime_ns=1)
    names = [f.name for f in MediaStream._meta.concrete_fields if f.name != "id"]

    def row(i: int) -> tuple:
        values = {name: "" for name in names} | {"file": file.pk, "index": i % 30000, "type": "video"}
        values |= {"width": None, "height": 2160, "frame_rate": 23.976, "default": i % 2 == 0, "forced": False}
        values |= {"bit_depth": None, "channels": None, "sample_rate": None, "bitrate": 2**40 + i}
        values |= {"title": "Ünïcode ✓ 'quoted'"}
        return tuple(values[name] for name in names)

    rows = [row(i) for i in range(count)]
    rows_insert(MediaStream, names, rows)
    columns = [name if name != "file" else "file_id" for name in names]
    assert list(MediaStream.objects.order_by("pk").values_list(*columns)) == rows
