"""Search on PostgreSQL reads only the nearest rows from the GiST index, and still ranks them exactly."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.accounts.services import users
from apps.core.testing.catalogue import movie_make
from apps.core.testing.people import user_make
from apps.libraries import services as library_services
from apps.media.search import catalogue_search
from apps.media.search.postgres import candidates_count

pytestmark = pytest.mark.django_db


@pytest.fixture
def crowded(tmp_path):
    """More titles containing "Golden Harbor" than one walk reads, the exact title among them, and others."""
    library = library_services.library_create(name="M", kind="movies", paths=[str(tmp_path)])
    for n in range(candidates_count(5) + 20):
        movie_make(library=library, title=f"Golden Harbor {n}", year=1950 + n % 70)
    movie_make(library=library, title="Golden Harbor", year=1999)
    movie_make(library=library, title="Silent River")
    movie_make(library=library, title="Hidden", age_rating=18)
    return user_make("m")


def test_many_equal_matches_give_a_full_sorted_answer_within_the_threshold(crowded):
    hits = catalogue_search(user=crowded, query="golden harbr", kinds=("movie",), limit=5)
    assert len(hits) == 5
    assert all("Golden Harbor" in hit.item.title for hit in hits)
    keys = [(-hit.score, -hit.item.closeness, hit.item.pk) for hit in hits]
    assert keys == sorted(keys) and all(hit.score >= 0.3 for hit in hits)


def test_a_search_reads_a_bounded_number_of_nearest_rows_in_two_queries(crowded):
    with CaptureQueriesContext(connection) as queries:
        catalogue_search(user=crowded, query="golden harbor", kinds=("movie",), limit=5)
    statements = [q["sql"] for q in queries.captured_queries]
    searching = [sql for sql in statements if sql.startswith('SELECT "media_movie"')]
    assert len(searching) == 2, searching  # the nearest ids, then their rows
    assert "<<->" in searching[0] and searching[0].endswith("LIMIT 60")
    assert not any("SET LOCAL" in sql for sql in statements)


def test_nothing_alike_finds_nothing_and_typos_still_find(crowded):
    assert catalogue_search(user=crowded, query="zzqqxx", kinds=("movie",)) == []
    assert [hit.item.title for hit in catalogue_search(user=crowded, query="silnet rivr", kinds=("movie",))] == [
        "Silent River"
    ]


def test_hidden_titles_stay_hidden_among_the_nearest(crowded):
    users.user_update(user=crowded, by=None, settings_overrides={"max_parental_age": 12})
    assert "Hidden" not in [hit.item.title for hit in catalogue_search(user=crowded, query="hidden", kinds=("movie",))]
