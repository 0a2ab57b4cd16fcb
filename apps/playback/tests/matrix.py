"""Playback objects and rules for the permission matrix (apps/accounts/tests/test_permission_matrix.py)."""

from __future__ import annotations

from types import SimpleNamespace

from apps.accounts.tests.matrix_rules import ALL_OK, ANON, PRINCIPALS, Rule, catalogue_detail, hidden_from, with_status
from apps.media.models import MediaFile, Movie
from apps.playback.models import PlaybackSession

MEMBERS = ("guest", "kids", "user")
# Watching writes reach one's own sessions only: anyone else's is 404, even for managers (they terminate instead).
OWN_SESSION = {
    "own": ALL_OK,
    "granted": hidden_from(ALL_OK, *PRINCIPALS[1:]),
    "hidden": hidden_from(ALL_OK, *PRINCIPALS[1:]),
}
# HLS URLs need no sign-in (the token is the credential): an unknown token is 404 for all, a live one 200.
HLS_UNKNOWN = {"unknown": dict.fromkeys(PRINCIPALS, 404)}
HLS_MASTER = {**HLS_UNKNOWN, "own": dict.fromkeys(PRINCIPALS, 200)}


def _session(user) -> PlaybackSession:
    media_file = MediaFile.objects.get(movie=Movie.objects.get(title="Family"))
    return PlaybackSession.objects.create(
        user=user, media_file=media_file, movie_id=media_file.movie_id, title="Family", method="transcode", duration=1
    )


def playback_objects(kind: str, who: str, users: dict) -> dict:
    """HLS URLs: a token nobody has, and a live session's (the token is the credential, whoever holds it)."""
    assert kind == "hls", kind
    return {"unknown": SimpleNamespace(pk="no-such-token"), "own": SimpleNamespace(pk=_session(users["user"]).token)}


def _stop_all(world) -> None:
    PlaybackSession.objects.update(state=PlaybackSession.State.STOPPED)


def _status(own: int, others: int, moderator_on_admin: int) -> dict[str, dict[str, int]]:
    """Sessions (the matrix's "playback_session" objects): `who`'s own, a plain member's, an admin's."""
    return {
        "own": {**ANON, **dict.fromkeys(MEMBERS, own), "moderator": others, "admin": others},
        "granted": {**ANON, **dict.fromkeys(MEMBERS, 404), "moderator": others, "admin": others},
        "hidden": {**ANON, **dict.fromkeys(MEMBERS, 404), "moderator": moderator_on_admin, "admin": others},
    }


def playback_rules() -> dict[tuple[str, str], Rule]:
    created = {case: with_status(rule, 201) for case, rule in catalogue_detail().items()}
    return {
        ("/api/v1/playback/sessions/", "GET"): Rule({"list": ALL_OK}),
        ("/api/v1/playback/sessions/", "POST"): Rule(
            created,
            objects="file",
            body=lambda world, who, case: {"file": world.objects("file", who)[case].pk, "device_profile": "kodi"},
            cleanup=_stop_all,
        ),
        ("/api/v1/playback/sessions/{id}/", "GET"): Rule(_status(200, 200, 404), objects="playback_session"),
        ("/api/v1/playback/sessions/{id}/terminate/", "POST"): Rule(
            _status(403, 200, 404), objects="playback_session", body=lambda world, who, case: {"message": "bye"}
        ),
        ("/api/v1/playback/sessions/{id}/progress/", "POST"): Rule(
            OWN_SESSION, objects="playback_session", body=lambda w, who, c: {"position": 10, "paused": True}
        ),
        ("/api/v1/playback/sessions/{id}/pause/", "POST"): Rule(
            OWN_SESSION, objects="playback_session", body=lambda w, who, c: {}
        ),
        ("/api/v1/playback/sessions/{id}/resume/", "POST"): Rule(
            OWN_SESSION, objects="playback_session", body=lambda w, who, c: {"position": 5}
        ),
        ("/api/v1/playback/sessions/{id}/stop/", "POST"): Rule(
            OWN_SESSION, objects="playback_session", body=lambda w, who, c: {"position": 20}
        ),
        ("/api/v1/playback/history/", "GET"): Rule({"list": ALL_OK}),
        ("/api/v1/playback/continue-watching/", "GET"): Rule({"list": ALL_OK}),
        ("/api/v1/playback/next-up/", "GET"): Rule({"list": ALL_OK}),
        # Marking watched names the movie in the body: as visible as the movie's detail.
        ("/api/v1/playback/watched/", "POST"): Rule(
            catalogue_detail(),
            objects="movie",
            body=lambda w, who, case: {"movie": w.objects("movie", who)[case].pk, "watched": True},
        ),
        ("/api/v1/playback/hls/{id}/master.m3u8", "GET"): Rule(HLS_MASTER, objects="hls"),
        ("/api/v1/playback/hls/{id}/{id}/index.m3u8", "GET"): Rule(HLS_UNKNOWN, objects="hls"),
        ("/api/v1/playback/hls/{id}/{id}/segment_{id}.ts", "GET"): Rule(HLS_UNKNOWN, objects="hls"),
        ("/api/v1/playback/hls/{id}/subtitles/{id}.m3u8", "GET"): Rule(HLS_UNKNOWN, objects="hls"),
        ("/api/v1/playback/hls/{id}/subtitles/{id}.vtt", "GET"): Rule(HLS_UNKNOWN, objects="hls"),
    }
