"""Playback objects and rules for the permission matrix (apps/accounts/tests/test_permission_matrix.py)."""

from __future__ import annotations

from types import SimpleNamespace

from apps.media.models import MediaFile, Movie
from apps.playback.models import PlaybackSession

ANON = {"anonymous": 401}
MEMBERS = ("guest", "kids", "user")


def _session(user, *, method: str = "transcode") -> PlaybackSession:
    media_file = MediaFile.objects.get(movie=Movie.objects.get(title="Family"))
    return PlaybackSession.objects.create(
        user=user, media_file=media_file, movie_id=media_file.movie_id, title="Family", method=method, duration=1.0
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


def playback_rules(rule, catalogue_detail) -> dict:
    """The rules, built with the matrix's own Rule and catalogue cases."""
    created = {
        case: {who: (201 if code == 200 else code) for who, code in rule_.items()}
        for case, rule_ in catalogue_detail().items()
    }
    hls = {"unknown": dict.fromkeys(["anonymous", *MEMBERS, "moderator", "admin"], 404)}
    hls_master = {**hls, "own": dict.fromkeys(["anonymous", *MEMBERS, "moderator", "admin"], 200)}
    return {
        ("/api/v1/playback/sessions/", "GET"): rule(
            {"list": {**ANON, **dict.fromkeys([*MEMBERS, "moderator", "admin"], 200)}}
        ),
        ("/api/v1/playback/sessions/", "POST"): rule(
            created,
            objects="file",
            body=lambda world, who, case: {"file": world.objects("file", who)[case].pk, "device_profile": "kodi"},
            cleanup=_stop_all,
        ),
        ("/api/v1/playback/sessions/{id}/", "GET"): rule(_status(200, 200, 404), objects="playback_session"),
        ("/api/v1/playback/sessions/{id}/terminate/", "POST"): rule(
            _status(403, 200, 404), objects="playback_session", body=lambda world, who, case: {"message": "bye"}
        ),
        ("/api/v1/playback/hls/{id}/master.m3u8", "GET"): rule(hls_master, objects="hls"),
        ("/api/v1/playback/hls/{id}/{id}/index.m3u8", "GET"): rule(hls, objects="hls"),
        ("/api/v1/playback/hls/{id}/{id}/segment_{id}.ts", "GET"): rule(hls, objects="hls"),
        ("/api/v1/playback/hls/{id}/subtitles/{id}.m3u8", "GET"): rule(hls, objects="hls"),
        ("/api/v1/playback/hls/{id}/subtitles/{id}.vtt", "GET"): rule(hls, objects="hls"),
    }
