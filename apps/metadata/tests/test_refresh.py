"""Refreshing from TMDb as operators meet it: outages, retries, locked and NFO fields, Identify, the command."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db.models import F
from django.utils import timezone

from apps.audit.models import Activity
from apps.core.testing.catalogue import scanned
from apps.core.testing.people import user_make
from apps.media import edits
from apps.media.models import Artwork, Movie
from apps.metadata import pipeline, selectors, services
from apps.metadata.tmdb import client
from apps.scanning import services as scanning

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _quick_retries(monkeypatch):
    monkeypatch.setattr(client, "BACKOFF", 0.01)


def _time_passes(**delta) -> None:
    Movie.objects.update(
        metadata_retry_at=F("metadata_retry_at") - timedelta(**delta),
        metadata_refreshed_at=F("metadata_refreshed_at") - timedelta(**delta),
    )


def _library(place, tmp_path, files):
    return scanned(place, tmp_path, name="Movies", kind="movies", files=dict.fromkeys(files))


def test_without_a_key_nothing_is_asked_and_items_keep_their_names(place, tmp_path):
    _library(place, tmp_path, ["Heat (1995).mkv"])
    counts = services.metadata_refresh()
    assert counts.off and counts.total == 0
    assert Movie.objects.values_list("title", "metadata_status").get() == ("Heat", "pending")


def test_provider_down_for_a_whole_scan_every_file_is_indexed_and_metadata_arrives_later(tmdb, place, tmp_path):
    tmdb.movie_add(949, "Heat", year=1995, tagline="A Los Angeles crime saga")
    tmdb.movie_add(603, "The Matrix", year=1999)
    tmdb.down = "503"
    _library(place, tmp_path, ["Heat (1995).mkv", "The Matrix (1999).mkv", "Alien (1979).mkv"])
    assert Movie.objects.filter(has_main_file=True).count() == 3
    calls = len(tmdb.calls)
    counts = services.metadata_refresh()
    assert (counts.failed, counts.matched) == (3, 0)
    # the first failure is enough: only the titles already being asked in the lookup threads are
    assert len(tmdb.calls) - calls <= min(3, pipeline.THREADS) * client.ATTEMPTS
    for movie in Movie.objects.all():
        assert movie.metadata_status == "failed" and movie.metadata_error.startswith("TMDb")
        assert movie.metadata_retry_at > timezone.now() + timedelta(minutes=10)
    assert services.metadata_refresh().total == 0  # not due yet
    # failing again doubles the wait
    _time_passes(minutes=16)
    services.metadata_refresh()
    heat = Movie.objects.get(title="Heat")
    assert heat.metadata_retry_at - heat.metadata_refreshed_at >= timedelta(minutes=30)

    tmdb.down = None
    _time_passes(minutes=31)
    counts = services.metadata_refresh()
    assert (counts.matched, counts.unmatched) == (2, 1)
    heat = Movie.objects.get(title="Heat")
    assert (heat.tagline, heat.metadata_status, heat.metadata_error, heat.metadata_retry_at) == (
        "A Los Angeles crime saga", "matched", "", None
    )  # fmt: skip


def test_a_refused_key_is_recorded_and_stops_asking(tmdb, settings, place, tmp_path):
    _library(place, tmp_path, ["Heat (1995).mkv", "Alien (1979).mkv"])
    settings.TMDB_API_KEY = "wrong"
    services.metadata_refresh()
    assert set(Movie.objects.values_list("metadata_status", "metadata_error")) == {
        ("failed", "TMDb refused the API key")
    }
    assert len(tmdb.calls) <= 2  # a refused key is not retried


def test_operator_edits_manual_matches_and_nfo_values_survive_refreshes(tmdb, place, tmp_path):
    tmdb.movie_add(949, "Heat", year=1995, overview="TMDb's overview", certifications={"US": "R"}, genres=["Crime"])
    tmdb.movie_add(111, "Scarface", year=1983, overview="Say hello")
    _library(place, tmp_path, ["Heat (1995)/Heat (1995).mkv"])
    (tmp_path / "Heat (1995)/movie.nfo").write_text("<movie><plot>The NFO's plot</plot><mpaa>PG</mpaa></movie>")
    movie = Movie.objects.get()
    scanning.scan_run(scan=scanning.scan_begin(library=movie.library, full=True))
    movie.refresh_from_db()
    assert sorted(movie.nfo_fields) == ["certification", "overview"]
    services.metadata_refresh(force=True)
    movie.refresh_from_db()
    assert (movie.overview, movie.certification, movie.age_rating, movie.tmdb_id) == ("The NFO's plot", "PG", 10, "949")
    assert [g.name for g in movie.genres.all()] == ["Crime"]

    boss = user_make("boss", role="admin")
    movie.title = "Heat (director's cut)"
    edits.item_update(item=movie, by=boss, fields=["title"])
    services.metadata_refresh(movies=[movie])
    movie.refresh_from_db()
    assert movie.title == "Heat (director's cut)"

    services.item_identify(item=movie, tmdb_id=111, by=boss)
    movie.refresh_from_db()
    assert (movie.tmdb_id, movie.title, movie.overview, movie.match_score) == (
        "111",
        "Heat (director's cut)",
        "The NFO's plot",
        None,
    )
    assert "tmdb_id" in movie.locked_fields and movie.metadata_status == "matched"
    assert Activity.objects.filter(event="metadata_identified", object_pk=str(movie.pk)).exists()
    services.metadata_refresh(force=True)
    movie.refresh_from_db()
    assert movie.tmdb_id == "111"  # a refresh never undoes a manual match


def test_identify_lists_scored_candidates_and_refuses_unknown_ids(tmdb, place, tmp_path):
    tmdb.movie_add(1091, "The Thing", year=1982, popularity=40, poster="/thing82.jpg")
    tmdb.movie_add(60935, "The Thing", year=2011, popularity=30)
    _library(place, tmp_path, ["The Thing (1982).mkv"])
    movie = Movie.objects.get()
    found = services.identify_candidates(item=movie)
    assert [(c["tmdb_id"], c["year"]) for c in found] == [(1091, 1982), (60935, 2011)]
    assert found[0]["poster_path"] == "/thing82.jpg" and found[0]["score"] > found[1]["score"]
    assert services.identify_candidates(item=movie, query="thing", year=2011)[0]["tmdb_id"] == 60935
    with pytest.raises(ValidationError):
        services.item_identify(item=movie, tmdb_id=424242, by=None)
    assert Movie.objects.get().locked_fields == []


def test_unmatched_titles_are_listed_for_the_operator(tmdb, place, tmp_path):
    _library(place, tmp_path, ["Home Video 3 (2004).mkv"])
    services.metadata_refresh()
    boss = user_make("boss", role="admin")
    listed = selectors.items_unmatched(user=boss)
    assert [m.title for m in listed["movies"]] == ["Home Video 3"] and not listed["shows"]


@pytest.mark.parametrize(
    "body",
    [
        {"id": 949},
        {"id": 949, "title": None, "release_date": "0000-00-00", "runtime": "long", "genres": "Crime"},
        {"id": 949, "title": "x" * 100_000, "vote_average": float("1e308"), "credits": {"cast": [{"id": "x"}]}},
        {
            "id": 949,
            "release_dates": {"results": [{"iso_3166_1": "US", "release_dates": [{"certification": "ZZ-99"}]}]},
        },
        {"id": 949, "belongs_to_collection": {"id": -1, "name": ["x"]}, "images": {"posters": [{"file_path": 5}]}},
        {"id": 949, "credits": {"cast": [{"id": 5, "name": "A", "order": None, "profile_path": "/../../etc.jpg"}]}},
    ],
)
def test_broken_tmdb_answers_never_break_a_refresh(tmdb, place, tmp_path, body):
    tmdb.movie_add(949, "Heat", year=1995)
    tmdb.respond_raw("/3/movie/949", json.dumps(body).encode())
    _library(place, tmp_path, ["Heat (1995).mkv"])
    counts = services.metadata_refresh()
    movie = Movie.objects.get()
    assert counts.matched == 1 and movie.tmdb_id == "949"
    assert len(movie.title) <= 500 and movie.year == 1995
    assert movie.certification in ("", "ZZ-99") and movie.age_rating is None
    assert not Artwork.objects.filter(path__contains="..").exists()


def test_garbage_answers_are_failures_to_retry(tmdb, place, tmp_path):
    tmdb.respond_raw("/3/search/movie", b"<html>oops</html>")
    _library(place, tmp_path, ["Heat (1995).mkv"])
    assert services.metadata_refresh().failed == 1
    assert Movie.objects.get().metadata_error == "TMDb: broken answer"


def test_refresh_metadata_command(tmdb, place, tmp_path, capsys):
    tmdb.movie_add(949, "Heat", year=1995)
    library = _library(place, tmp_path, ["Heat (1995).mkv"])
    call_command("refresh_metadata", library.name)
    assert "1 matched, 0 unmatched, 0 failed" in capsys.readouterr().out
    assert Movie.objects.get().metadata_status == "matched"
