"""After a scan the workers match the library's new titles; the periodic pass picks up what is due."""

from __future__ import annotations

import time

import pytest

from apps.core.testing.catalogue import scanned
from apps.media.models import Movie, Show
from apps.metadata import tasks


def _wait_for(condition, seconds: float = 30.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def test_a_scan_hands_its_new_titles_to_the_worker(tmdb, redis_worker, place, tmp_path):
    tmdb.movie_add(949, "Heat", year=1995, certifications={"US": "R"})
    scanned(place, tmp_path, name="Movies", kind="movies", files={"Heat (1995).mkv": None})
    assert _wait_for(lambda: Movie.objects.filter(metadata_status="matched").exists())
    assert Movie.objects.values_list("tmdb_id", "age_rating").get() == ("949", 17)


@pytest.mark.django_db
def test_the_periodic_pass_matches_what_is_pending(tmdb, place, tmp_path):
    tmdb.show_add(1399, "Lost", first_air_date="2004-09-22", seasons={1: 2})
    scanned(place, tmp_path, name="Shows", kind="shows", files={"Lost/Season 1/Lost S01E02.mkv": None})
    assert tasks.metadata_refresh_due() == {"matched": 1, "unmatched": 0, "failed": 0, "off": False}
    assert Show.objects.get().episodes.get().title == "Episode 2"
    assert tasks.metadata_refresh_due()["matched"] == 0  # nothing due any more
