"""The Radarr/Sonarr clients against a real HTTP server on 127.0.0.1 that speaks their API v3."""

from __future__ import annotations

import socket

import pytest

from apps.core.testing.arr import API_KEY, FakeArr
from apps.requests.arr import ArrClient, ArrNotFound, ArrRejected, ArrServerError, ArrUnauthorized, ArrUnreachable


def client(fake: FakeArr, **options) -> ArrClient:
    options.setdefault("backoff", 0.01)
    options.setdefault("allow_private", True)  # the stand-in listens on 127.0.0.1: an admin's opt-in
    return ArrClient(fake.kind, fake.url + "/", API_KEY, **options)


def test_test_connection_profiles_and_root_folders(radarr):
    arr = client(radarr)
    assert arr.system_status()["appName"] == "Radarr"
    assert [p["name"] for p in arr.quality_profiles()] == ["Any", "HD-1080p"]
    assert arr.root_folders()[0]["path"] == "/data/media"
    assert arr.lookup("heat 1995")[0]["term"] == "heat 1995"


def test_a_movie_is_added_monitored_and_searched(radarr):
    added = client(radarr).movie_add(
        tmdb_id=949, title="Heat", quality_profile_id=4, root_folder="/data/media", tags=[2]
    )
    assert added["id"] == 7
    method, path, body = radarr.received[-1]
    assert (method, path) == ("POST", "/api/v3/movie")
    assert body["addOptions"] == {"searchForMovie": True} and body["monitored"] is True
    assert (body["tmdbId"], body["qualityProfileId"], body["rootFolderPath"], body["tags"]) == (
        949,
        4,
        "/data/media",
        [2],
    )


def test_a_series_is_added_with_only_the_requested_seasons(sonarr):
    client(sonarr).series_add(
        tvdb_id=371980, title="Severance", quality_profile_id=1, root_folder="/tv", seasons=[2], language_profile_id=1
    )
    body = sonarr.received[-1][2]
    assert body["seasons"] == [
        {"seasonNumber": 0, "monitored": False},
        {"seasonNumber": 1, "monitored": False},
        {"seasonNumber": 2, "monitored": True},
    ]
    assert body["addOptions"]["searchForMissingEpisodes"] is True and body["languageProfileId"] == 1
    sonarr.added.clear()  # a series is added once; start over to add it with every season
    everything = client(sonarr).series_add(tvdb_id=371980, title="Severance", quality_profile_id=1, root_folder="/tv")
    assert all(season["monitored"] for season in everything["seasons"])


def test_a_wrong_api_key_is_a_clear_401(radarr):
    with pytest.raises(ArrUnauthorized, match="refused the API key"):
        ArrClient("radarr", radarr.url, "wrong", allow_private=True).system_status()
    assert len(radarr.received) == 1, "no retries for a refusal"


def test_validation_errors_come_back_with_the_servers_words(radarr):
    arr = client(radarr)
    arr.movie_add(tmdb_id=949, title="Heat", quality_profile_id=4, root_folder="/data/media")
    with pytest.raises(ArrRejected) as refused:
        arr.movie_add(tmdb_id=949, title="Heat", quality_profile_id=4, root_folder="/data/media")
    assert refused.value.status == 400 and refused.value.problems == ["This movie has already been added"]


def test_a_missing_endpoint_is_404(radarr):
    with pytest.raises(ArrNotFound, match="right address"):
        ArrClient("sonarr", radarr.url, API_KEY, allow_private=True).lookup("heat")  # a Radarr posing as Sonarr


def test_server_errors_are_retried_with_backoff(radarr):
    radarr.fail_next = 2
    assert client(radarr, retries=3).system_status()["appName"] == "Radarr"
    assert len(radarr.received) == 3
    radarr.fail_next = 10
    with pytest.raises(ArrServerError, match="503: database is locked"):
        client(radarr, retries=2).system_status()


def test_unreachable_and_slow_servers(radarr):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed_port = sock.getsockname()[1]
    with pytest.raises(ArrUnreachable, match="did not answer"):
        ArrClient(
            "radarr", f"http://127.0.0.1:{closed_port}", API_KEY, retries=1, backoff=0.01, allow_private=True
        ).system_status()
    radarr.delay = 0.5
    with pytest.raises(ArrUnreachable, match="did not answer"):
        client(radarr, timeout=0.1, retries=0).system_status()


@pytest.mark.parametrize(
    ("kind", "url"), [("radarr", "ftp://radarr"), ("radarr", "radarr:7878"), ("lidarr", "http://x"), ("radarr", "")]
)
def test_bad_settings_are_refused(kind, url):
    with pytest.raises(ValueError):
        ArrClient(kind, url, API_KEY)
