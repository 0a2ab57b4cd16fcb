"""The TMDb client against the stand-in: auth, errors, retries, the cache, and what it refuses to send."""

from __future__ import annotations

import json
import time

import pytest
from prometheus_client import REGISTRY

from apps.core.testing.servers import free_port
from apps.metadata.tmdb import client
from apps.metadata.tmdb.client import (
    TmdbAuthError,
    TmdbError,
    TmdbNotFound,
    TmdbUnavailable,
    calls_made,
    configuration,
    find_by_external_id,
    genres,
    image_bytes,
    movie_details,
    movie_search,
    person_details,
    season_details,
    tmdb_enabled,
    tmdb_get,
    tv_details,
    tv_search,
)


@pytest.fixture(autouse=True)
def quick_retries(monkeypatch):
    """Backoff timing only: the retries still happen, just without seconds of sleep between them."""
    monkeypatch.setattr(client, "BACKOFF", 0.01)


@pytest.fixture
def matrix(tmdb):
    return tmdb.movie_add(
        603, "The Matrix", year=1999, imdb_id="tt0133093", certifications={"US": "R", "GB": "15"},
        cast=[(6384, "Keanu Reeves", "Neo")], crew=[(9340, "Lana Wachowski", "Director", "Directing")],
        poster="/matrix.jpg", backdrop="/matrix-bg.jpg", genres=["Action", "Science Fiction"],
    )  # fmt: skip


def test_without_key_or_token_lookups_are_off_and_nothing_is_sent(settings):
    assert not tmdb_enabled()
    with pytest.raises(TmdbAuthError):
        movie_details(tmdb_id=603)
    settings.TMDB_TOKEN = "token"
    assert tmdb_enabled()


def test_details_with_the_key_as_a_parameter(tmdb, matrix):
    movie = movie_details(tmdb_id=603)
    assert movie["title"] == "The Matrix" and movie["imdb_id"] == "tt0133093"
    assert movie["credits"]["cast"][0]["name"] == "Keanu Reeves"
    certifications = {
        c["iso_3166_1"]: c["release_dates"][0]["certification"] for c in movie["release_dates"]["results"]
    }
    assert certifications == {"US": "R", "GB": "15"}
    assert movie["external_ids"]["imdb_id"] == "tt0133093"
    assert [p["file_path"] for p in movie["images"]["posters"]] == ["/matrix.jpg"]
    assert [b["file_path"] for b in movie["images"]["backdrops"]] == ["/matrix-bg.jpg"]  # no language: kept
    (path, query), = tmdb.calls  # fmt: skip
    assert path == "/3/movie/603" and query["api_key"] == tmdb.api_key and query["language"] == "en-US"
    assert query["include_image_language"] == "en,null"


def test_the_bearer_token_is_sent_as_a_header_not_in_the_url(tmdb, matrix, settings):
    settings.TMDB_API_KEY = ""
    settings.TMDB_TOKEN = tmdb.token
    assert movie_details(tmdb_id=603, language="fr-FR")["title"] == "The Matrix"
    (_, query), = tmdb.calls  # fmt: skip
    assert "api_key" not in query and query["language"] == "fr-FR" and query["include_image_language"] == "fr,null,en"


def test_a_refused_key_is_an_auth_error_at_once(tmdb, matrix, settings):
    settings.TMDB_API_KEY = "not-the-key"
    with pytest.raises(TmdbAuthError) as caught:
        movie_details(tmdb_id=603)
    assert str(caught.value) == "TMDb refused the API key"
    assert len(tmdb.calls) == 1


def test_unknown_ids_are_not_found_at_once_and_not_remembered(tmdb):
    with pytest.raises(TmdbNotFound):
        movie_details(tmdb_id=404404)
    assert len(tmdb.calls) == 1
    tmdb.movie_add(404404, "Late Arrival")
    assert movie_details(tmdb_id=404404)["title"] == "Late Arrival"


def test_429_waits_as_long_as_asked_then_succeeds(tmdb, matrix):
    tmdb.rate_limit(1, retry_after=1)
    started = time.monotonic()
    assert movie_details(tmdb_id=603)["id"] == 603
    assert 0.9 <= time.monotonic() - started < 2.5
    assert len(tmdb.calls) == 2


def test_a_passing_5xx_is_retried(tmdb, matrix):
    tmdb.fail_next = 2
    assert movie_details(tmdb_id=603)["id"] == 603
    assert len(tmdb.calls) == 3


@pytest.mark.parametrize("down", ["503", "closed"])
def test_a_server_that_stays_down_is_unavailable_after_the_retries(tmdb, matrix, down):
    tmdb.down = down
    with pytest.raises(TmdbUnavailable) as caught:
        movie_details(tmdb_id=603)
    assert len(tmdb.calls) == client.ATTEMPTS
    assert str(caught.value) == (
        "TMDb: HTTP 503" if down == "503" else "TMDb unreachable (broken answer (RemoteDisconnected))"
    )


def test_rate_limited_for_longer_than_the_retries_last_is_unavailable(tmdb, matrix, monkeypatch):
    monkeypatch.setattr(client, "MAX_TOTAL_WAIT", 0.5)
    tmdb.rate_limit(100, retry_after=1)
    started = time.monotonic()
    with pytest.raises(TmdbUnavailable, match="rate limiting"):
        movie_details(tmdb_id=603)
    assert time.monotonic() - started < 1 and len(tmdb.calls) == 1


def test_no_answer_within_the_timeout_is_unavailable(tmdb, matrix, monkeypatch):
    monkeypatch.setattr(client, "TIMEOUT", 0.2)
    tmdb.latency = 1
    with pytest.raises(TmdbUnavailable, match=r"no answer within 0\.2 s"):
        movie_details(tmdb_id=603)


def test_nothing_listens_there_is_unavailable(settings):
    settings.TMDB_API_KEY = "key"
    settings.TMDB_URL = f"http://127.0.0.1:{free_port()}/3"
    with pytest.raises(TmdbUnavailable, match="TMDb unreachable"):
        configuration()


def test_a_second_call_comes_from_the_cache(tmdb, matrix):
    made = calls_made()
    hits, misses = (
        REGISTRY.get_sample_value(f"revenge_cache_{n}_total", {"namespace": "tmdb"}) or 0 for n in ("hits", "misses")
    )
    first = movie_details(tmdb_id=603)
    assert movie_details(tmdb_id=603) == first
    assert len(tmdb.calls) == 1 and calls_made() == made + 1
    assert REGISTRY.get_sample_value("revenge_cache_hits_total", {"namespace": "tmdb"}) == hits + 1
    assert REGISTRY.get_sample_value("revenge_cache_misses_total", {"namespace": "tmdb"}) == misses + 1
    movie_details(tmdb_id=603, language="de-DE")  # another language is another answer
    assert len(tmdb.calls) == 2


def test_a_broken_cache_does_not_break_a_call(tmdb, matrix, settings):
    dead = f"redis://127.0.0.1:{free_port()}/0"
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": dead,
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.2, "SOCKET_TIMEOUT": 0.2},
        }
    }
    client.ratelimit.reset()  # the rate limit, on the same dead Redis, falls back to this process
    assert movie_details(tmdb_id=603)["title"] == "The Matrix"
    assert movie_details(tmdb_id=603)["title"] == "The Matrix"
    assert len(tmdb.calls) == 2


def test_search_tv_season_find_person_genres_configuration(tmdb, matrix):
    tmdb.movie_add(604, "The Matrix Reloaded", year=2003, popularity=5)
    tmdb.show_add(95396, "Severance", tvdb_id=371980, seasons={1: [{"name": "Good News About Hell"}]})
    assert [m["id"] for m in movie_search(query="matrix")] == [603, 604]
    assert [m["id"] for m in movie_search(query="matrix", year=2003)] == [604]
    assert tmdb.calls[-1][1]["year"] == "2003"
    assert movie_search(query="   ") == []
    assert [s["name"] for s in tv_search(query="severance", first_air_date_year=2020)] == ["Severance"]
    assert tv_details(tmdb_id=95396)["external_ids"]["tvdb_id"] == 371980
    assert season_details(tmdb_id=95396, season_number=1)["episodes"][0]["name"] == "Good News About Hell"
    assert find_by_external_id(external_id="371980", source="tvdb_id")["tv_results"][0]["id"] == 95396
    assert find_by_external_id(external_id="tt0133093", source="imdb_id")["movie_results"][0]["id"] == 603
    assert person_details(tmdb_id=6384)["name"] == "Keanu Reeves"
    assert {"id": 878, "name": "Science Fiction"} in genres(kind="movie")
    assert configuration()["images"]["secure_base_url"] == f"{tmdb.image_url}/"


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"<html>Bad gateway</html>", "TMDb: broken answer"),
        (b"[1, 2, 3]", "TMDb: broken answer"),
        (b'{"title": "\xff\xfe"}', "TMDb: broken answer"),
        (b'{"title": "' + b"x" * (client.BODY_LIMIT + 10) + b'"}', "TMDb: answer too large"),
    ],
)
def test_hostile_answers_are_errors_that_quote_nothing(tmdb, matrix, body, reason):
    tmdb.respond_raw("/3/movie/603", body)
    with pytest.raises(TmdbError) as caught:
        movie_details(tmdb_id=603)
    assert str(caught.value) == reason and len(tmdb.calls) == 1
    with pytest.raises(TmdbError):
        movie_details(tmdb_id=603)  # and nothing broken was cached
    assert len(tmdb.calls) == 2


def test_search_results_of_the_wrong_shape_are_an_error(tmdb):
    tmdb.respond_raw("/3/search/movie", json.dumps({"results": "none", "page": 1}).encode())
    with pytest.raises(TmdbError, match="broken answer"):
        movie_search(query="anything")
    tmdb.respond_raw("/3/search/movie", json.dumps({"results": [7, None, {"id": 1}]}).encode())
    assert movie_search(query="other") == [{"id": 1}]


@pytest.mark.parametrize(
    ("external_id", "source"),
    [("tt0133093/../../movie/1", "imdb_id"), ("371980?api_key=x", "tvdb_id"), ("", "imdb_id"), ("12ab", "tvdb_id")],
)
def test_an_external_id_from_a_file_is_checked_before_it_is_sent(tmdb, external_id, source):
    with pytest.raises(TmdbNotFound):
        find_by_external_id(external_id=external_id, source=source)
    assert tmdb.calls == []


def test_a_path_with_anything_but_plain_segments_is_refused(tmdb):
    for path in ["/movie/../account", "movie/603", "/movie/603?x=1", "/movie/6%2F03", "//example.org/x"]:
        with pytest.raises(TmdbError, match="not a valid request"):
            tmdb_get(path)
    assert tmdb.calls == []


def test_image_bytes_are_fetched_at_the_size_asked(tmdb, matrix):
    tmdb.image_add("/matrix.jpg", b"\xff\xd8\xff poster")
    assert image_bytes(file_path="/matrix.jpg", size="w500") == b"\xff\xd8\xff poster"
    assert tmdb.calls[-1][0] == "/t/p/w500/matrix.jpg"
    assert image_bytes(file_path="/matrix-bg.jpg")[:3] == b"\xff\xd8\xff"
    assert tmdb.calls[-1][0] == "/t/p/original/matrix-bg.jpg" and len(tmdb.calls) == 2  # never from the cache
    with pytest.raises(TmdbNotFound):
        image_bytes(file_path="/gone.jpg")
    with pytest.raises(TmdbError, match="image too large"):
        image_bytes(file_path="/matrix.jpg", limit=5)


@pytest.mark.parametrize(
    ("file_path", "size"),
    [
        ("/../../3/account.jpg", "original"),
        ("../matrix.jpg", "original"),
        ("https://evil.example/x.jpg", "original"),
        ("//evil.example/x.jpg", "original"),
        ("/a/b.jpg", "original"),
        ("/matrix.jpg?api_key=1", "original"),
        ("/matrix.exe", "original"),
        ("/matrix.jpg", "w500/.."),
        ("", "original"),
        (None, "original"),
    ],
)
def test_an_image_path_that_is_not_a_plain_file_name_is_refused_before_any_request(tmdb, file_path, size):
    with pytest.raises(TmdbError, match="not a valid image path"):
        image_bytes(file_path=file_path, size=size)
    assert tmdb.calls == []
