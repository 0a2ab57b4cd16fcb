"""Radarr/Sonarr webhooks: the server's secret or 401, documented bodies or 400, and the whole way from a request
to a file in the library and the requester told, with a real worker, a real clip and a real ntfy receiver."""

from __future__ import annotations

import base64
import ipaddress
import logging

import pytest

from apps.core.testing.receivers import NtfyServer
from apps.core.testing.servers import wait_until
from apps.libraries import services as libraries
from apps.media.models import MediaFile
from apps.notifications import services as notifications
from apps.notifications.models import Notification
from apps.requests import webhooks
from apps.requests.models import ArrServer, MediaRequest

RADARR, SONARR = "/api/v1/webhooks/radarr/", "/api/v1/webhooks/sonarr/"
MOVIE = {"id": 7, "title": "Heat", "year": 1995, "tmdbId": 949, "folderPath": "/movies/Heat (1995)"}
FILE = {"id": 1, "relativePath": "Heat (1995).mkv", "path": "/movies/Heat (1995)/Heat (1995).mkv", "size": 1}


def download(**changes) -> dict:
    return {"eventType": "Download", "movie": MOVIE, "movieFile": FILE, "isUpgrade": False, **changes}


@pytest.mark.django_db
def test_only_the_servers_secret_gets_in(servers, api_client):
    secret = servers.radarr.webhook_secret
    test_event = {"eventType": "Test", "movie": {"id": 1, "title": "Test Title"}}
    assert api_client.post(RADARR, test_event, format="json").status_code == 401
    assert api_client.post(f"{RADARR}?token=wrong", test_event, format="json").status_code == 401
    assert api_client.post(f"{SONARR}?token={secret}", test_event, format="json").status_code == 401, "other kind"
    assert api_client.post(f"{RADARR}?token={secret}", test_event, format="json").status_code == 200
    assert api_client.post(RADARR, test_event, format="json", HTTP_X_REVENGE_TOKEN=secret).status_code == 200
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    assert api_client.post(RADARR, test_event, format="json", **bearer).status_code == 200
    basic = {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(f"radarr:{secret}".encode()).decode()}
    assert api_client.post(RADARR, test_event, format="json", **basic).status_code == 200
    ArrServer.objects.filter(pk=servers.radarr.pk).update(enabled=False)
    assert api_client.post(f"{RADARR}?token={secret}", test_event, format="json").status_code == 401


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"{not json", "not JSON"),
        (b"", "must be a JSON object"),
        (b"[1, 2]", "must be a JSON object"),
        (b'{"movie": {"id": 1}}', "'eventType'"),
        (b'{"eventType": 5}', "'eventType'"),
        (b'{"eventType": "EpisodeFileDelete", "movie": {"id": 1}}', "not a Radarr webhook event"),
        (b'{"eventType": "Download", "movie": {"id": "7"}, "movieFile": {"path": "/m/a.mkv"}}', "'movie.id'"),
        (b'{"eventType": "Download", "movie": {"id": true}, "movieFile": {"path": "/m/a.mkv"}}', "'movie.id'"),
        (b'{"eventType": "Download", "movie": {"id": 7}}', "needs 'movieFile'"),
        (b'{"eventType": "Download", "movie": {"id": 7}, "movieFile": {"path": "a.mkv"}}', "absolute path"),
        (b'{"eventType": "Download", "movie": [], "movieFile": {}}', "'movie' must be an object"),
        (b'{"eventType": "Grab", "movie": {"id": 7, "title": "' + b"x" * 600 + b'"}}', "'movie.title'"),
    ],
)
def test_malformed_bodies_are_400_with_a_reason_and_logged(servers, api_client, caplog, body, reason):
    with caplog.at_level(logging.WARNING, logger="apps.requests.api.webhook_views"):
        response = api_client.post(
            f"{RADARR}?token={servers.radarr.webhook_secret}", body, content_type="application/json"
        )
    assert response.status_code == 400, response.content
    assert reason in response.json()["detail"] and response.json()["code"] == "invalid"
    assert any("refused a webhook" in message for message in caplog.messages)


@pytest.mark.django_db
def test_grab_moves_to_processing_and_delete_fails_open_requests(servers, people, api_client):
    url = f"{RADARR}?token={servers.radarr.webhook_secret}"
    request = MediaRequest.objects.create(
        kind="movie", tmdb_id=949, title="Heat", status="approved", server=servers.radarr, arr_id=7,
        requested_by=people.member,
    )  # fmt: skip
    grabbed = api_client.post(url, {"eventType": "Grab", "movie": MOVIE, "release": {"quality": "x"}}, format="json")
    assert grabbed.status_code == 200 and grabbed.json()["requests"] == [request.pk]
    request.refresh_from_db()
    assert request.status == "processing"
    assert (
        api_client.post(url, {"eventType": "Health", "level": "warning", "message": "m"}, format="json").status_code
        == 200
    )
    assert api_client.post(url, {"eventType": "MovieDelete", "movie": MOVIE}, format="json").status_code == 200
    request.refresh_from_db()
    assert request.status == "failed" and "removed from Radarr" in request.failure_reason


def test_sonarr_bodies_and_path_mappings():
    server = ArrServer(
        kind="sonarr", path_mappings=[{"remote": "/tv", "local": "/srv/tv"}, {"remote": "/tv/k", "local": "/k"}]
    )
    body = {
        "eventType": "Download",
        "series": {"id": 3, "title": "Severance", "tvdbId": 371980, "path": "/tv/Severance"},
        "episodes": [{"id": 1, "seasonNumber": 1, "episodeNumber": 1}],
        "episodeFile": {"path": "/tv/Severance/Season 01/Severance - S01E01.mkv"},
        "episodeFiles": [{"path": "/tv/Severance/Season 01/Severance - S01E02.mkv"}],
    }
    event = webhooks.webhook_parse(kind="sonarr", body=body)
    assert (event.arr_id, event.external_id, len(event.paths)) == (3, 371980, 2)
    assert webhooks.path_map(server, event.paths[0]) == "/srv/tv/Severance/Season 01/Severance - S01E01.mkv"
    assert webhooks.path_map(server, "/tv/k/x.mkv") == "/k/x.mkv", "the longest remote prefix wins"
    assert webhooks.path_map(server, "/tvshows/x.mkv") == "/tvshows/x.mkv"
    assert (
        webhooks.path_map(ArrServer(path_mappings=[{"remote": "D:\\TV", "local": "/tv"}]), "D:\\TV\\a\\b.mkv")
        == "/tv/a/b.mkv"
    )
    with pytest.raises(webhooks.WebhookInvalid, match="episodeFiles"):
        webhooks.webhook_parse(kind="sonarr", body={**body, "episodeFiles": "all"})


@pytest.fixture
def ntfy():
    server = NtfyServer()
    yield server
    server.close()


def test_request_to_available_the_whole_way(worker, servers, people, api, radarr, tmp_path, place, ntfy, settings):
    """request → approve → Radarr add → Download webhook → the real file indexed → available → requester told."""
    settings.OUTBOUND_ALLOWED_NETWORKS = [ipaddress.ip_network("127.0.0.1/32")]  # the member's ntfy, on the "LAN"
    folder = tmp_path / "movies"
    folder.mkdir()
    library = libraries.library_create(name="Movies", kind="movies", paths=[str(folder)])
    libraries.library_grants_set(library=library, roles={"user": ["view_library"]}, users={}, by=people.admin)
    ArrServer.objects.filter(pk=servers.radarr.pk).update(path_mappings=[{"remote": "/movies", "local": str(folder)}])
    notifications.agent_create(
        kind="ntfy", owner=people.member, url=f"ntfy://127.0.0.1:{ntfy.port}/member", events=["request.available"]
    )

    made = api(people.member).post("/api/v1/requests/", {"kind": "movie", "tmdb_id": 949}, format="json")
    assert made.status_code == 201, made.content
    request_id = made.json()["id"]
    assert api(people.moderator).post(f"/api/v1/requests/{request_id}/approve/").status_code == 200
    assert wait_until(lambda: MediaRequest.objects.get(pk=request_id).status == "processing", timeout=30)
    (added,) = radarr.posts("/api/v3/movie")
    assert (added["tmdbId"], added["rootFolderPath"], added["addOptions"]) == (949, "/movies", {"searchForMovie": True})

    # Radarr imported the file into its /movies, which is our library folder.
    place(folder, "Heat (1995)/Heat (1995).mkv")
    hook = api(people.guest).post(f"{RADARR}?token={servers.radarr.webhook_secret}", download(), format="json")
    assert hook.status_code == 200 and hook.json()["requests"] == [request_id]

    assert wait_until(lambda: MediaRequest.objects.get(pk=request_id).status == "available", timeout=60)
    request = MediaRequest.objects.get(pk=request_id)
    indexed = MediaFile.objects.get(path=str(folder / "Heat (1995)" / "Heat (1995).mkv"))
    assert request.movie_id == indexed.movie_id and request.available_at is not None
    assert api(people.member).get(f"/api/v1/movies/{indexed.movie_id}/").status_code == 200
    assert Notification.objects.filter(user=people.member, event__name="request.available").exists()
    assert wait_until(lambda: any("Heat" in r.json().get("message", "") for r in ntfy.received), timeout=30)
