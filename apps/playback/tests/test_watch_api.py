"""The watching endpoints: heartbeats of one's own sessions, broken input, history and who sees it, marking watched."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from apps.core.testing.catalogue import episode, session_for
from apps.playback.models import PlaybackSession, WatchState

pytestmark = pytest.mark.django_db


def client_of(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


def post(api, path: str, body=None, **extra):
    return api.post(f"/api/v1/playback/{path}", body, format="json", **extra)


def test_heartbeat_pause_resume_stop(catalogue, received, django_capture_on_commit_callbacks):
    api, session = client_of(catalogue.user), session_for(catalogue.user, movie=catalogue.heat, duration=1000)
    with django_capture_on_commit_callbacks(execute=True):
        beat = post(api, f"sessions/{session.pk}/progress/", {"position": 120})
        paused = post(api, f"sessions/{session.pk}/pause/", {})
        resumed = post(api, f"sessions/{session.pk}/resume/", {"position": 130})
        watched = post(api, f"sessions/{session.pk}/progress/", {"position": 950, "paused": False})
        stopped = post(api, f"sessions/{session.pk}/stop/", {"position": 990})
    assert beat.status_code == 200
    assert beat.json() == {
        "id": str(session.pk),
        "state": "playing",
        "position": 120.0,
        "duration": 1000.0,
        "watched": False,
        "stopped_at": None,
        "stop_reason": "",
        "message": "",
    }
    assert paused.json()["state"] == "paused" and resumed.json()["state"] == "playing"
    assert watched.json()["watched"] is True
    assert stopped.json()["state"] == "stopped" and stopped.json()["stop_reason"] == "stopped"
    events = [e.name for e in received if e.name.startswith("playback.")]
    assert events == ["playback.paused", "playback.resumed", "playback.stopped"]
    state = WatchState.objects.get(user=catalogue.user, movie=catalogue.heat)
    assert (state.watched, state.play_count, state.position) == (True, 1, 0)
    late = post(api, f"sessions/{session.pk}/progress/", {"position": 995})
    assert late.status_code == 409 and late.json()["code"] == "session_stopped"
    assert "ended" in late.json()["detail"]
    assert post(api, f"sessions/{session.pk}/stop/", {}).status_code == 200, "stopping again is harmless"


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"position": -5},
        {"position": "abc"},
        {"position": "NaN"},
        {"position": "Infinity"},
        {"position": 10**30},
        {"position": 3611},
        {"position": True},
        {"position": None},
        {"position": [10]},
        {"position": 10, "paused": "maybe"},
    ],
)
def test_broken_heartbeats_are_400_with_a_message(catalogue, body):
    api, session = client_of(catalogue.user), session_for(catalogue.user, movie=catalogue.heat, duration=3600)
    response = post(api, f"sessions/{session.pk}/progress/", body)
    assert response.status_code == 400, response.content
    assert response.json()["code"] == "invalid" and response.json()["errors"]
    assert PlaybackSession.objects.get(pk=session.pk).position == 0


def test_bodies_that_are_not_json_objects(catalogue):
    api, session = client_of(catalogue.user), session_for(catalogue.user, movie=catalogue.heat)
    url = f"/api/v1/playback/sessions/{session.pk}/progress/"
    for raw in ('{"position": NaN}', '{"position": 1e400}', '{"position": -Infinity}', "[1, 2]", "not json", '"600"'):
        response = api.generic("POST", url, raw, content_type="application/json")
        assert response.status_code == 400, raw


def test_unknown_and_other_peoples_sessions_are_404(catalogue):
    theirs = session_for(catalogue.kid, movie=catalogue.heat)
    for who in (catalogue.user, catalogue.moderator, catalogue.boss):
        api = client_of(who)
        for action in ("progress", "pause", "resume", "stop"):
            response = post(api, f"sessions/{theirs.pk}/{action}/", {"position": 10})
            assert response.status_code == 404, (who, action)
        assert post(api, f"sessions/{uuid.uuid4()}/progress/", {"position": 10}).status_code == 404
    assert post(client_of(catalogue.user), "sessions/not-a-uuid/progress/", {"position": 10}).status_code == 404
    unchanged = PlaybackSession.objects.get(pk=theirs.pk)
    assert (unchanged.state, unchanged.position) == ("playing", 0)


def _history(api, **params) -> list[str]:
    response = api.get("/api/v1/playback/history/", params)
    assert response.status_code == 200, response.content
    return [(entry["user"]["username"], entry["item"]["title"]) for entry in response.json()["results"]]


def test_history_is_your_own_unless_you_manage_users(catalogue):
    alice, kid = catalogue.user, catalogue.kid
    session_for(alice, movie=catalogue.heat, started_at=timezone.now() - timedelta(hours=2))
    session_for(kid, movie=catalogue.alien, started_at=timezone.now() - timedelta(hours=1))
    session_for(catalogue.boss, movie=catalogue.secret)
    assert _history(client_of(alice)) == [("alice", "Heat")]
    assert _history(client_of(alice), user=kid.pk) == [], "another member's history is never shown"
    assert _history(client_of(kid)) == [("kid", "Alien")]
    # Moderators see the users they may manage, not admins.
    assert _history(client_of(catalogue.moderator)) == [("kid", "Alien"), ("alice", "Heat")]
    assert _history(client_of(catalogue.moderator), user=kid.pk) == [("kid", "Alien")]
    assert len(_history(client_of(catalogue.boss))) == 3


def test_history_filters_and_entries(catalogue):
    alice, api = catalogue.user, client_of(catalogue.user)
    old = session_for(alice, movie=catalogue.heat, started_at=timezone.now() - timedelta(days=3), ip="192.0.2.7")
    session_for(alice, episode=episode("Lost", 1, 1), method="transcode", width=1280, height=720, bitrate=2_800_000)
    assert [t for _, t in _history(api, kind="episode")] == ["Lost S01E01"]
    assert [t for _, t in _history(api, kind="movie")] == ["Heat"]
    assert [t for _, t in _history(api, method="transcode")] == ["Lost S01E01"]
    cutoff = (timezone.now() - timedelta(days=1)).isoformat()
    assert [t for _, t in _history(api, since=cutoff)] == ["Lost S01E01"]
    assert [t for _, t in _history(api, until=cutoff)] == ["Heat"]
    assert [t for _, t in _history(api, search="lost")] == ["Lost S01E01"]
    for bad in ({"kind": "song"}, {"since": "yesterday"}, {"method": "carrier-pigeon"}, {"user": "x"}):
        assert api.get("/api/v1/playback/history/", bad).status_code == 400, bad
    entry = api.get("/api/v1/playback/history/", {"kind": "episode"}).json()["results"][0]
    assert entry["method"] == "transcode" and (entry["width"], entry["height"], entry["bitrate"]) == (
        1280,
        720,
        2_800_000,
    )
    assert entry["item"]["show"]["title"] == "Lost" and entry["item"]["season"] == 1
    watch_old = api.get("/api/v1/playback/history/", {"kind": "movie"}).json()["results"][0]
    assert watch_old["id"] == str(old.pk) and watch_old["ip"] == "192.0.2.7" and watch_old["bytes_sent"] == 0
    assert api.get("/api/v1/playback/history/", {"page_size": 1}).json()["count"] == 2


def test_mark_watched_over_http(catalogue):
    api = client_of(catalogue.kid)
    marked = post(api, "watched/", {"movie": catalogue.heat.pk, "watched": True})
    assert marked.status_code == 200
    assert marked.json()["watched"] is True and marked.json()["play_count"] == 1
    assert marked.json()["item"]["kind"] == "movie" and marked.json()["item"]["title"] == "Heat"
    unmarked = post(api, "watched/", {"episode": episode("Lost", 1, 1).pk, "watched": False})
    assert unmarked.status_code == 200 and unmarked.json()["item"]["kind"] == "episode"
    assert post(api, "watched/", {"movie": catalogue.adult.pk, "watched": True}).status_code == 404
    assert post(api, "watched/", {"episode": episode("Grim", 1, 1).pk, "watched": True}).status_code == 404
    assert post(api, "watched/", {"movie": catalogue.secret.pk, "watched": True}).status_code == 404
    assert post(api, "watched/", {"movie": 10**9, "watched": True}).status_code == 404
    for bad in (
        {"watched": True},
        {"movie": catalogue.heat.pk, "episode": episode("Lost", 1, 1).pk, "watched": True},
        {"movie": catalogue.heat.pk},
        {"movie": "Heat", "watched": True},
        {"movie": -1, "watched": True},
    ):
        assert post(api, "watched/", bad).status_code == 400, bad
    assert not WatchState.objects.filter(movie__in=[catalogue.adult, catalogue.secret]).exists()
