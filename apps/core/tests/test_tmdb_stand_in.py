"""The TMDb stand-in behaves like TMDb where tests lean on it: search, the key, the appended parts, 429, outages."""

from __future__ import annotations

import http.client
import json
import urllib.error
import urllib.request

import pytest

from apps.core.testing.tmdb import API_KEY, FakeTmdb


@pytest.fixture
def fake():
    server = FakeTmdb()
    yield server
    server.close()


def fetch(url: str, headers: dict | None = None) -> tuple[int, dict | bytes, dict]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=5) as answer:
            status, body, head = answer.status, answer.read(), dict(answer.headers)
    except urllib.error.HTTPError as error:
        status, body, head = error.code, error.read(), dict(error.headers)
    try:
        return status, json.loads(body), head
    except ValueError:
        return status, body, head


def api(fake: FakeTmdb, path: str, **params: str) -> tuple[int, dict]:
    query = "&".join(f"{k}={urllib.request.quote(str(v))}" for k, v in {"api_key": API_KEY, **params}.items())
    status, body, _ = fetch(f"{fake.api_url}{path}?{query}")
    return status, body


def test_search_folds_case_and_accents_needs_every_word_and_ranks_by_popularity(fake):
    fake.movie_add(194, "Amélie", original_title="Le Fabuleux Destin d'Amélie Poulain", year=2001, popularity=30)
    fake.movie_add(9999, "Amelie Returns", year=2020, popularity=50)
    fake.movie_add(1, "Heat", year=1995)

    status, found = api(fake, "/search/movie", query="AMELIE")
    assert status == 200
    assert [r["id"] for r in found["results"]] == [9999, 194]
    assert found["total_results"] == 2 and found["total_pages"] == 1 and found["page"] == 1
    assert set(found["results"][0]) >= {"id", "title", "original_title", "release_date", "poster_path", "genre_ids"}
    assert [r["id"] for r in api(fake, "/search/movie", query="fabuleux amelie")[1]["results"]] == [194]
    assert api(fake, "/search/movie", query="amelie heat")[1]["results"] == []
    assert [r["id"] for r in api(fake, "/search/movie", query="amelie", year="2001")[1]["results"]] == [194]
    assert api(fake, "/search/movie", query="")[1]["total_results"] == 0


def test_search_pages_by_twenty_and_refuses_a_page_out_of_range(fake):
    for n in range(45):
        fake.movie_add(n + 1, f"Saw {n}", popularity=n)
    first = api(fake, "/search/movie", query="saw")[1]
    third = api(fake, "/search/movie", query="saw", page="3")[1]
    assert len(first["results"]) == 20 and first["total_pages"] == 3 and first["total_results"] == 45
    assert first["results"][0]["title"] == "Saw 44" and len(third["results"]) == 5
    assert api(fake, "/search/movie", query="saw", page="0")[0] == 400
    assert api(fake, "/search/movie", query="saw", page="x")[1]["status_code"] == 22


def test_tv_search_and_first_air_date_year(fake):
    fake.show_add(95396, "Severance", first_air_date="2022-02-17")
    fake.show_add(1, "Severance Pay", first_air_date="1999-01-01", popularity=1)
    assert [r["id"] for r in api(fake, "/search/tv", query="severance")[1]["results"]] == [95396, 1]
    found = api(fake, "/search/tv", query="severance", first_air_date_year="2022")[1]["results"]
    assert [(r["id"], r["name"], r["first_air_date"]) for r in found] == [(95396, "Severance", "2022-02-17")]


def test_the_key_or_the_token_and_nothing_else(fake):
    fake.movie_add(603, "The Matrix")
    assert fetch(f"{fake.api_url}/movie/603?api_key={API_KEY}")[0] == 200
    assert fetch(f"{fake.api_url}/movie/603", {"Authorization": f"Bearer {fake.token}"})[0] == 200
    for url, headers in [
        (f"{fake.api_url}/movie/603", {}),
        (f"{fake.api_url}/movie/603?api_key=wrong", {}),
        (f"{fake.api_url}/movie/603", {"Authorization": "Bearer wrong"}),
        (f"{fake.api_url}/movie/603", {"Authorization": f"Bearer {API_KEY}"}),
    ]:
        status, body, _ = fetch(url, headers)
        assert (status, body["status_code"], body["success"]) == (401, 7, False)
    assert api(fake, "/movie/604") == (404, {**api(fake, "/movie/604")[1], "status_code": 34})


def test_details_carry_only_the_parts_asked_for(fake):
    fake.movie_add(
        603, "The Matrix", year=1999, certifications={"US": "R", "GB": "15"}, imdb_id="tt0133093",
        cast=[(6384, "Keanu Reeves", "Neo")], crew=[(9340, "Lana Wachowski", "Director", "Directing")],
        poster="/matrix.jpg", backdrop="/matrix-bg.jpg", collection=(2344, "The Matrix Collection"),
    )  # fmt: skip
    bare = api(fake, "/movie/603")[1]
    assert bare["title"] == "The Matrix" and bare["imdb_id"] == "tt0133093"
    assert not {"credits", "release_dates", "external_ids", "images"} & set(bare)
    full = api(fake, "/movie/603", append_to_response="credits,release_dates,images", include_image_language="en,null")[
        1
    ]
    assert full["belongs_to_collection"]["name"] == "The Matrix Collection"
    assert full["credits"]["cast"][0]["character"] == "Neo" and full["credits"]["crew"][0]["job"] == "Director"
    ratings = {r["iso_3166_1"]: r["release_dates"][0]["certification"] for r in full["release_dates"]["results"]}
    assert ratings == {"US": "R", "GB": "15"}
    assert [i["file_path"] for i in full["images"]["posters"] + full["images"]["backdrops"]] == [
        "/matrix.jpg",
        "/matrix-bg.jpg",
    ]
    assert "external_ids" not in full
    assert api(fake, "/person/6384")[1]["name"] == "Keanu Reeves"


def test_a_series_its_seasons_episodes_and_find(fake):
    fake.show_add(
        95396, "Severance", tvdb_id=371980, imdb_id="tt11280740", content_ratings={"US": "TV-MA"},
        seasons={0: 1, 1: [{"name": "Good News About Hell", "still_path": "/s1e1.jpg"}, {}]},
    )  # fmt: skip
    show = api(fake, "/tv/95396", append_to_response="content_ratings,external_ids")[1]
    assert show["content_ratings"]["results"] == [{"descriptors": [], "iso_3166_1": "US", "rating": "TV-MA"}]
    assert show["external_ids"]["tvdb_id"] == 371980
    assert [(s["season_number"], s["episode_count"]) for s in show["seasons"]] == [(0, 1), (1, 2)]
    season = api(fake, "/tv/95396/season/1")[1]
    assert [e["name"] for e in season["episodes"]] == ["Good News About Hell", "Episode 2"]
    assert api(fake, "/tv/95396/season/1/episode/1")[1]["still_path"] == "/s1e1.jpg"
    assert api(fake, "/tv/95396/season/1/episode/3")[0] == 404
    assert api(fake, "/tv/95396/season/7")[0] == 404
    found = api(fake, "/find/371980", external_source="tvdb_id")[1]
    assert [r["id"] for r in found["tv_results"]] == [95396] and found["movie_results"] == []
    assert api(fake, "/find/tt11280740", external_source="imdb_id")[1]["tv_results"][0]["name"] == "Severance"
    assert api(fake, "/find/tt11280740", external_source="bogus")[0] == 400


def test_images_are_served_for_paths_tmdb_named_and_registered_bytes(fake):
    fake.movie_add(603, "The Matrix", poster="/matrix.jpg")
    fake.image_add("/logo.png", b"\x89PNG-made-up")
    status, data, headers = fetch(f"{fake.image_url}/w500/matrix.jpg")
    assert status == 200 and data[:3] == b"\xff\xd8\xff" and headers["Content-Type"] == "image/jpeg"
    assert fetch(f"{fake.image_url}/original/logo.png")[1] == b"\x89PNG-made-up"
    assert fetch(f"{fake.image_url}/w500/unknown.jpg")[0] == 404


def test_rate_limit_answers_429_with_retry_after_then_recovers(fake):
    fake.movie_add(603, "The Matrix")
    fake.rate_limit(2, retry_after=3)
    for _ in range(2):
        status, body, headers = fetch(f"{fake.api_url}/movie/603?api_key={API_KEY}")
        assert (status, body["status_code"], headers["Retry-After"]) == (429, 25, "3")
    assert api(fake, "/movie/603")[0] == 200
    assert [path for path, _ in fake.calls] == ["/3/movie/603"] * 3


def test_down_answers_503_or_closes_the_connection(fake):
    fake.movie_add(603, "The Matrix")
    fake.down = "503"
    assert api(fake, "/movie/603")[0] == 503
    fake.down = "closed"
    with pytest.raises((http.client.RemoteDisconnected, urllib.error.URLError, ConnectionError)):
        api(fake, "/movie/603")
