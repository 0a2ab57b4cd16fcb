"""Every API endpoint x every built-in role and a custom one x an object in a granted library, in a library
that is not granted, and an item over the role's parental limit → the status each must get.

The endpoints come from the URL conf: a new endpoint without a rule here fails `test_every_endpoint_has_a_rule`.
"""

from __future__ import annotations

import json
import re

import pytest
from rest_framework.schemas.generators import EndpointEnumerator
from rest_framework.test import APIClient

from apps.accounts.tests.matrix_rules import (
    ADMIN_ONLY,
    ALL_OK,
    ANON,
    MANAGERS_ONLY,
    PRINCIPALS,
    Rule,
    catalogue_detail,
    hidden_from,
    with_status,
)
from apps.accounts.tests.matrix_world import World, fresh_role
from apps.core.testing.catalogue import session_for
from apps.libraries.models import LibraryScan
from apps.playback import watch
from apps.playback.models import PlaybackSession
from apps.playback.watch_selectors import watch_states_in_progress
from apps.requests.models import MediaRequest

# Other users are invisible to members (404); admins are invisible to moderators.
USER_DETAIL = {
    "granted": hidden_from(MANAGERS_ONLY, "guest", "kids", "user"),
    "hidden": hidden_from(MANAGERS_ONLY, "guest", "kids", "user", "moderator"),
}


def library_write(status: int) -> dict[str, dict[str, int]]:
    return {
        "granted": {**ANON, "guest": 403, "kids": 403, "user": 403, "moderator": 403, "admin": status},
        "hidden": {**ANON, "guest": 404, "kids": 404, "user": 404, "moderator": 403, "admin": status},
    }


# Duplicate groups are for those who manage the library: here only admins (moderators manage no library).
DUPLICATE_DETAIL = {
    "granted": hidden_from(ADMIN_ONLY, "guest", "kids", "user", "moderator"),
    "hidden": hidden_from(ADMIN_ONLY, "guest", "kids", "user", "moderator"),
}


def duplicate_member(world, who, case) -> dict:
    return {"file": world.duplicate_files[case]}


# Radarr/Sonarr servers are for admins; to everyone else they do not exist.
ARR_DETAIL = {"granted": hidden_from(ADMIN_ONLY, "guest", "kids", "user", "moderator")}


# Requests: one's own are visible to their requester; approvers see every request and act on those of users
# ranked no higher than themselves (a moderator may not approve an admin's request: 403).
REQUEST_DETAIL = {
    "own": ALL_OK,
    "granted": hidden_from(MANAGERS_ONLY, "guest", "kids", "user"),
    "hidden": hidden_from(MANAGERS_ONLY, "guest", "kids", "user"),
}
REQUEST_ACT = {
    "own": {**ANON, "guest": 403, "kids": 403, "user": 403, "moderator": 200, "admin": 200},
    "granted": hidden_from(MANAGERS_ONLY, "guest", "kids", "user"),
    "hidden": {**hidden_from(MANAGERS_ONLY, "guest", "kids", "user"), "moderator": 403},
}
REQUESTERS = {**ANON, "guest": 403, "kids": 403, "user": 200, "moderator": 200, "admin": 200}
NOBODY_WITHOUT_TOKEN = {who: 401 for who in PRINCIPALS}


def joining_request(world, who, case) -> dict:
    """A body that joins an open request (no Radarr needed): those who may request get 200."""
    if not MediaRequest.objects.filter(tmdb_id=949, status="pending").exists():
        MediaRequest.objects.create(kind="movie", tmdb_id=949, title="Heat", requested_by=world.users["admin"])
    return {"kind": "movie", "tmdb_id": 949}


def cancel_scans(world) -> None:
    LibraryScan.objects.filter(status__in=LibraryScan.ACTIVE).update(status="cancelled")


# Agents and the delivery log are for managers; channels, preferences and in-app notices are one's own only.
OWN_ONLY = {"own": ALL_OK, "granted": hidden_from(ALL_OK, "guest", "kids", "user", "moderator", "admin")}
# Names that never resolve (.invalid): saved, and refused at once when sent. 127.0.0.1 would be refused (400).
AGENT = {"name": "ops", "kind": "webhook", "url": "http://hooks.invalid/hook", "secret": "s" * 20, "events": ["*"]}
CHANNEL = {"kind": "ntfy", "url": "ntfy://ntfy.invalid/topic", "events": ["request"]}
# The opt-in to the server's own network is an admin's: managers who are not admins get 403, on agents and channels.
OPT_IN = {"allow_private_network": True}
ADMINS_OPT_IN = {**MANAGERS_ONLY, "moderator": 403}
OWN_OPT_IN = {
    "own": {**ANON, "guest": 403, "kids": 403, "user": 403, "moderator": 403, "admin": 200},
    "granted": OWN_ONLY["granted"],
}
METADATA_WRITE = {
    "granted": {**ANON, "guest": 403, "kids": 403, "user": 403, "moderator": 403, "admin": 409},
    "hidden": {**ANON, "guest": 404, "kids": 404, "user": 404, "moderator": 403, "admin": 409},
    "restricted": {**ANON, "guest": 403, "kids": 404, "user": 403, "moderator": 403, "admin": 409},
}
NOTIFICATION_RULES: dict[tuple[str, str], Rule] = {
    ("/api/v1/notifications/", "GET"): Rule({"list": ALL_OK}),
    ("/api/v1/notifications/{id}/", "GET"): Rule(OWN_ONLY, objects="notification"),
    ("/api/v1/notifications/{id}/read/", "POST"): Rule(OWN_ONLY, objects="notification", body=lambda w, who, c: {}),
    ("/api/v1/notifications/read-all/", "POST"): Rule({"list": ALL_OK}, body=lambda w, who, c: {}),
    ("/api/v1/notifications/unread-count/", "GET"): Rule({"list": ALL_OK}),
    ("/api/v1/notifications/events/", "GET"): Rule({"list": ALL_OK}),
    ("/api/v1/notifications/preferences/", "GET"): Rule({"list": ALL_OK}),
    ("/api/v1/notifications/preferences/", "PUT"): Rule(
        {"list": ALL_OK}, body=lambda w, who, c: {"events": ["media"], "muted": [], "in_app": True, "digest": "daily"}
    ),
    ("/api/v1/notifications/preferences/", "PATCH"): Rule({"list": ALL_OK}, body=lambda w, who, c: {"digest": "off"}),
    # Playback defaults: everyone signed in, each their own.
    ("/api/v1/playback/preferences/", "GET"): Rule({"list": ALL_OK}),
    ("/api/v1/playback/preferences/", "PUT"): Rule(
        {"list": ALL_OK},
        body=lambda w, who, c: {"audio_language": "eng", "subtitle_language": "", "subtitles": "off"},
    ),
    ("/api/v1/playback/preferences/", "PATCH"): Rule({"list": ALL_OK}, body=lambda w, who, c: {"subtitles": "always"}),
    ("/api/v1/notifications/agents/", "GET"): Rule({"list": MANAGERS_ONLY}),
    ("/api/v1/notifications/agents/", "POST"): Rule(
        {"list": with_status(MANAGERS_ONLY, 201)}, body=lambda w, who, c: AGENT
    ),
    ("/api/v1/notifications/agents/{id}/", "GET"): Rule({"granted": MANAGERS_ONLY}, objects="notification_agent"),
    ("/api/v1/notifications/agents/{id}/", "PUT"): Rule(
        {"granted": MANAGERS_ONLY}, objects="notification_agent", body=lambda w, who, c: AGENT
    ),
    ("/api/v1/notifications/agents/{id}/", "PATCH"): Rule(
        {"granted": ADMINS_OPT_IN}, objects="notification_agent", body=lambda w, who, c: OPT_IN
    ),
    ("/api/v1/notifications/agents/{id}/", "DELETE"): Rule(
        {"granted": with_status(MANAGERS_ONLY, 204)}, objects="notification_agent"
    ),
    ("/api/v1/notifications/agents/{id}/test/", "POST"): Rule(
        {"granted": MANAGERS_ONLY}, objects="notification_agent", body=lambda w, who, c: {}
    ),
    ("/api/v1/notifications/channels/", "GET"): Rule({"list": ALL_OK}),
    ("/api/v1/notifications/channels/", "POST"): Rule(
        {"list": with_status(ALL_OK, 201)}, body=lambda w, who, c: CHANNEL
    ),
    ("/api/v1/notifications/channels/{id}/", "GET"): Rule(OWN_ONLY, objects="notification_channel"),
    ("/api/v1/notifications/channels/{id}/", "PUT"): Rule(
        OWN_ONLY, objects="notification_channel", body=lambda w, who, c: CHANNEL
    ),
    ("/api/v1/notifications/channels/{id}/", "PATCH"): Rule(
        OWN_OPT_IN, objects="notification_channel", body=lambda w, who, c: {"enabled": False, **OPT_IN}
    ),
    ("/api/v1/notifications/channels/{id}/", "DELETE"): Rule(
        {case: with_status(rule, 204) for case, rule in OWN_ONLY.items()}, objects="notification_channel"
    ),
    ("/api/v1/notifications/channels/{id}/test/", "POST"): Rule(
        OWN_ONLY, objects="notification_channel", body=lambda w, who, c: {}
    ),
    ("/api/v1/notifications/deliveries/", "GET"): Rule({"list": MANAGERS_ONLY}),
    ("/api/v1/notifications/deliveries/{id}/", "GET"): Rule(
        {"granted": MANAGERS_ONLY}, objects="notification_delivery"
    ),
}


# Playback: sessions, watching, HLS URLs.
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


def _stop_all(world) -> None:
    PlaybackSession.objects.update(state=PlaybackSession.State.STOPPED)


def _status(own: int, others: int, moderator_on_admin: int) -> dict[str, dict[str, int]]:
    """Sessions (the matrix's "playback_session" objects): `who`'s own, a plain member's, an admin's."""
    return {
        "own": {**ANON, **dict.fromkeys(MEMBERS, own), "moderator": others, "admin": others},
        "granted": {**ANON, **dict.fromkeys(MEMBERS, 404), "moderator": others, "admin": others},
        "hidden": {**ANON, **dict.fromkeys(MEMBERS, 404), "moderator": moderator_on_admin, "admin": others},
    }


PLAYBACK_CREATED = {case: with_status(rule, 201) for case, rule in catalogue_detail().items()}
PLAYBACK_RULES: dict[tuple[str, str], Rule] = {
    ("/api/v1/playback/sessions/", "GET"): Rule({"list": ALL_OK}),
    ("/api/v1/playback/sessions/", "POST"): Rule(
        PLAYBACK_CREATED,
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
    ("/api/v1/playback/hls/{id}/{id}/segment_{id}_{id}.ts", "GET"): Rule(HLS_UNKNOWN, objects="hls"),
    ("/api/v1/playback/hls/{id}/subtitles/{id}.m3u8", "GET"): Rule(HLS_UNKNOWN, objects="hls"),
    ("/api/v1/playback/hls/{id}/subtitles/{id}.vtt", "GET"): Rule(HLS_UNKNOWN, objects="hls"),
}


RULES: dict[tuple[str, str], Rule] = {
    ("/api/v1/users/me/", "GET"): Rule({"list": ALL_OK}),
    # Signing in needs no session: each principal trades its own password (anonymous has none: 401).
    ("/api/v1/auth/token/", "POST"): Rule(
        {"list": {**with_status(ALL_OK, 201), "anonymous": 401}},
        body=lambda world, who, case: {"username": who, "password": "x" * 12, "device_name": "tv"},
    ),
    ("/api/v1/auth/login/", "POST"): Rule(
        {"list": {**ALL_OK, "anonymous": 401}},
        body=lambda world, who, case: {"username": who, "password": "x" * 12},
    ),
    ("/api/v1/auth/logout/", "POST"): Rule({"list": with_status(ALL_OK, 204)}, body=lambda world, who, case: {}),
    ("/api/v1/auth/logout-all/", "POST"): Rule({"list": ALL_OK}, body=lambda world, who, case: {}),
    ("/api/v1/auth/sessions/", "GET"): Rule({"list": ALL_OK}),
    # Your own token; a plain user's (managers only); an admin's (admins only). Others' are invisible: 404.
    ("/api/v1/auth/sessions/{id}/", "DELETE"): Rule(
        {
            "own": with_status(ALL_OK, 204),
            "granted": hidden_from(with_status(MANAGERS_ONLY, 204), "guest", "kids", "user"),
            "hidden": hidden_from(with_status(MANAGERS_ONLY, 204), "guest", "kids", "user", "moderator"),
        },
        objects="device",
    ),
    ("/api/v1/users/", "GET"): Rule({"list": MANAGERS_ONLY}),
    ("/api/v1/users/", "POST"): Rule(
        {"list": with_status(MANAGERS_ONLY, 201)},
        body=lambda world, who, case: {"username": f"new-{who}", "password": "a long password 123"},
    ),
    ("/api/v1/users/{id}/", "GET"): Rule(USER_DETAIL, objects="user"),
    ("/api/v1/users/{id}/", "PUT"): Rule(
        USER_DETAIL,
        objects="user",
        body=lambda world, who, case: {"username": f"put-{who}-{case}", "display_name": "Put"},
    ),
    ("/api/v1/users/{id}/", "PATCH"): Rule(
        USER_DETAIL,
        objects="user",
        body=lambda world, who, case: {"display_name": "Patched"},
    ),
    ("/api/v1/users/{id}/", "DELETE"): Rule(
        {
            "granted": hidden_from(with_status(ADMIN_ONLY, 204), "guest", "kids", "user"),
            "hidden": hidden_from(with_status(ADMIN_ONLY, 204), "guest", "kids", "user", "moderator"),
        },
        objects="user",
    ),
    ("/api/v1/roles/", "GET"): Rule({"list": MANAGERS_ONLY}),
    ("/api/v1/roles/", "POST"): Rule(
        {"list": with_status(ADMIN_ONLY, 201)}, body=lambda world, who, case: {"name": f"role-{who}", "rank": 5}
    ),
    ("/api/v1/roles/{id}/", "GET"): Rule({"granted": MANAGERS_ONLY}, objects="role"),
    ("/api/v1/roles/{id}/", "PUT"): Rule(
        {"granted": ADMIN_ONLY}, objects="role", body=lambda world, who, case: {"name": f"renamed-{who}", "rank": 6}
    ),
    ("/api/v1/roles/{id}/", "PATCH"): Rule(
        {"granted": ADMIN_ONLY}, objects="role", body=lambda world, who, case: {"max_streams": 2}
    ),
    ("/api/v1/roles/{id}/", "DELETE"): Rule({"granted": with_status(ADMIN_ONLY, 204)}, objects="role"),
    ("/api/v1/libraries/", "GET"): Rule({"list": ALL_OK}),
    ("/api/v1/libraries/", "POST"): Rule(
        {"list": with_status(ADMIN_ONLY, 201)},
        body=lambda world, who, case: {"name": f"New {who}", "kind": "movies", "paths": [world.spare_folder]},
    ),
    ("/api/v1/libraries/{id}/", "GET"): Rule(
        {k: v for k, v in catalogue_detail().items() if k != "restricted"}, objects="library"
    ),
    ("/api/v1/libraries/{id}/", "PUT"): Rule(
        library_write(200),
        objects="library",
        body=lambda world, who, case: {"name": f"Renamed {case}", "kind": "movies", "paths": [world.spare_folder]},
    ),
    ("/api/v1/libraries/{id}/", "PATCH"): Rule(
        library_write(200), objects="library", body=lambda world, who, case: {"scan_interval_minutes": 60}
    ),
    ("/api/v1/libraries/{id}/", "DELETE"): Rule(library_write(204), objects="library"),
    ("/api/v1/libraries/{id}/scan/", "POST"): Rule(
        {
            "granted": {**ANON, "guest": 403, "kids": 403, "user": 403, "moderator": 202, "admin": 202},
            "hidden": {**ANON, "guest": 404, "kids": 404, "user": 404, "moderator": 202, "admin": 202},
        },
        objects="library",
        body=lambda world, who, case: {},
        cleanup=cancel_scans,
    ),
    ("/api/v1/libraries/{id}/permissions/", "GET"): Rule(library_write(200), objects="library"),
    ("/api/v1/libraries/{id}/recent/", "GET"): Rule(
        {k: v for k, v in catalogue_detail().items() if k != "restricted"}, objects="library"
    ),
    ("/api/v1/libraries/{id}/stats/", "GET"): Rule(
        {k: v for k, v in catalogue_detail().items() if k != "restricted"}, objects="library"
    ),
    ("/api/v1/libraries/{id}/permissions/", "PUT"): Rule(
        library_write(200),
        objects="library",
        body=lambda world, who, case: {"roles": {"user": ["view_library"]}, "users": {}},
    ),
    ("/api/v1/scans/", "GET"): Rule({"list": ALL_OK}),
    ("/api/v1/scans/{id}/", "GET"): Rule(
        {
            "granted": {**ANON, "guest": 404, "kids": 404, "user": 404, "moderator": 200, "admin": 200},
            "hidden": {**ANON, "guest": 404, "kids": 404, "user": 404, "moderator": 200, "admin": 200},
        },
        objects="scan",
    ),
    ("/api/v1/scans/{id}/cancel/", "POST"): Rule(
        {
            "granted": {**ANON, "guest": 404, "kids": 404, "user": 404, "moderator": 200, "admin": 200},
            "hidden": {**ANON, "guest": 404, "kids": 404, "user": 404, "moderator": 200, "admin": 200},
        },
        objects="scan",
        body=lambda world, who, case: {},
    ),
    ("/api/v1/movies/", "GET"): Rule({"list": ALL_OK}),
    ("/api/v1/search/", "GET"): Rule({"list": with_status(ALL_OK, 400)}),  # no ?q=: 400 (hits are tested in media)
    ("/api/v1/people/", "GET"): Rule({"list": ALL_OK}),
    ("/api/v1/people/{id}/", "GET"): Rule(catalogue_detail(), objects="person"),
    # Metadata: admins and managers of the library (moderators scan, but do not rematch or refill the catalogue).
    # The tests run with TMDb off, so a permitted call answers 409 "metadata lookup is off".
    **{
        (f"/api/v1/{kind}s/{{id}}/{action}/", method): Rule(METADATA_WRITE, objects=kind, body=body)
        for kind in ("movie", "show")
        for action, method, body in (
            ("refresh-metadata", "POST", lambda w, who, c: {}),
            ("identify", "GET", None),
            ("identify", "POST", lambda w, who, c: {"tmdb_id": 603}),
        )
    },
    ("/api/v1/libraries/{id}/refresh-metadata/", "POST"): Rule(
        {key: METADATA_WRITE[key] for key in ("granted", "hidden")}, objects="library", body=lambda w, who, c: {}
    ),
    ("/api/v1/metadata/refresh/", "POST"): Rule({"list": METADATA_WRITE["granted"]}, body=lambda w, who, c: {}),
    ("/api/v1/movies/{id}/", "GET"): Rule(catalogue_detail(), objects="movie"),
    ("/api/v1/shows/", "GET"): Rule({"list": ALL_OK}),
    ("/api/v1/shows/{id}/", "GET"): Rule(catalogue_detail(), objects="show"),
    ("/api/v1/episodes/", "GET"): Rule({"list": ALL_OK}),
    ("/api/v1/episodes/{id}/", "GET"): Rule(catalogue_detail(), objects="episode"),
    ("/api/v1/files/", "GET"): Rule({"list": ALL_OK}),
    ("/api/v1/files/{id}/", "GET"): Rule(catalogue_detail(), objects="file"),
    ("/api/v1/files/{id}/stream/", "GET"): Rule(catalogue_detail(), objects="file"),
    # Images are seen with their item; a person with a title they are credited on.
    **{
        (f"/api/v1/images/{owner}/{{id}}/", "GET"): Rule(catalogue_detail(), objects=f"{owner}_image")
        for owner in ("movie", "show", "season", "episode", "person")
    },
    # Deciding how to play a file is open to whoever may see it; the file is a query parameter.
    ("/api/v1/playback/decision/", "GET"): Rule(
        {"list": {**ANON, "guest": 400, "kids": 400, "user": 400, "moderator": 400, "admin": 400}}
    ),
    # Unlocking a user is changing them: managers, for users they outrank or equal.
    ("/api/v1/users/{id}/unlock/", "POST"): Rule(USER_DETAIL, objects="user", body=lambda world, who, case: {}),
    ("/api/v1/requests/servers/", "GET"): Rule({"list": ADMIN_ONLY}),
    ("/api/v1/requests/servers/", "POST"): Rule(
        {"list": with_status(ADMIN_ONLY, 201)},
        body=lambda world, who, case: {
            "kind": "radarr",
            "name": f"radarr-{who}",
            "base_url": "http://radarr.invalid:7878",
            "api_key": "k" * 32,
        },
    ),
    ("/api/v1/requests/servers/{id}/", "GET"): Rule(ARR_DETAIL, objects="arrserver"),
    ("/api/v1/requests/servers/{id}/", "PUT"): Rule(
        ARR_DETAIL,
        objects="arrserver",
        body=lambda world, who, case: {
            "kind": "radarr",
            "name": f"put-{who}",
            "base_url": "http://radarr.invalid:7878",
            "api_key": "k" * 32,
        },
    ),
    ("/api/v1/requests/servers/{id}/", "PATCH"): Rule(
        ARR_DETAIL, objects="arrserver", body=lambda world, who, case: {"enabled": False, **OPT_IN}
    ),
    ("/api/v1/requests/servers/{id}/", "DELETE"): Rule(
        {"granted": with_status(ARR_DETAIL["granted"], 204)}, objects="arrserver"
    ),
    # 127.0.0.1 without the opt-in: the test says it is refused (200, ok false); the options cannot be read (502).
    ("/api/v1/requests/servers/{id}/test/", "POST"): Rule(
        ARR_DETAIL, objects="arrserver", body=lambda world, who, case: {}
    ),
    ("/api/v1/requests/servers/{id}/options/", "GET"): Rule(
        {"granted": with_status(ARR_DETAIL["granted"], 502)}, objects="arrserver"
    ),
    ("/api/v1/requests/", "GET"): Rule({"list": ALL_OK}),
    ("/api/v1/requests/", "POST"): Rule({"list": REQUESTERS}, body=joining_request),
    ("/api/v1/requests/search/", "GET"): Rule({"list": with_status(REQUESTERS, 400)}),  # no ?kind=&q=: 400
    ("/api/v1/requests/{id}/", "GET"): Rule(REQUEST_DETAIL, objects="mediarequest"),
    # Withdrawing: your own pending one; approvers remove others' of their rank or lower (an admin's: 403).
    ("/api/v1/requests/{id}/", "DELETE"): Rule(
        {
            "own": with_status(ALL_OK, 204),
            "granted": with_status(REQUEST_DETAIL["granted"], 204),
            "hidden": {**with_status(REQUEST_DETAIL["hidden"], 204), "moderator": 403},
        },
        objects="mediarequest",
    ),
    ("/api/v1/requests/{id}/approve/", "POST"): Rule(
        REQUEST_ACT, objects="mediarequest", body=lambda world, who, case: {}
    ),
    ("/api/v1/requests/{id}/decline/", "POST"): Rule(
        REQUEST_ACT, objects="mediarequest", body=lambda world, who, case: {"reason": "not now"}
    ),
    ("/api/v1/webhooks/radarr/", "POST"): Rule({"list": NOBODY_WITHOUT_TOKEN}, body=lambda w, who, c: {}),
    ("/api/v1/webhooks/sonarr/", "POST"): Rule({"list": NOBODY_WITHOUT_TOKEN}, body=lambda w, who, c: {}),
    ("/api/v1/activity/", "GET"): Rule({"list": MANAGERS_ONLY}),
    ("/api/v1/activity/{id}/", "GET"): Rule({"granted": MANAGERS_ONLY}, objects="activity"),
    ("/api/v1/duplicates/", "GET"): Rule({"list": ADMIN_ONLY}),
    ("/api/v1/duplicates/{id}/", "GET"): Rule(DUPLICATE_DETAIL, objects="duplicate"),
    ("/api/v1/duplicates/{id}/keep/", "POST"): Rule(DUPLICATE_DETAIL, objects="duplicate", body=duplicate_member),
    ("/api/v1/duplicates/{id}/dismiss/", "POST"): Rule(
        DUPLICATE_DETAIL, objects="duplicate", body=lambda world, who, case: {}
    ),
    # Without "confirm": true the admin gets as far as the service, which refuses (400); nothing leaves the disk.
    ("/api/v1/duplicates/{id}/delete-file/", "POST"): Rule(
        {case: with_status(rule, 400) for case, rule in DUPLICATE_DETAIL.items()},
        objects="duplicate",
        body=duplicate_member,
    ),
    **NOTIFICATION_RULES,
    **PLAYBACK_RULES,
}


def api_endpoints() -> list[tuple[str, str]]:
    """Every (path, method) of /api/v1/ in the URL conf, with path parameters written as {id}."""
    found = set()
    for path, method, _callback in EndpointEnumerator().get_api_endpoints():
        if path.startswith("/api/v1/"):
            found.add((re.sub(r"\{[^}]+\}", "{id}", path), method))
    return sorted(found)


def test_every_endpoint_has_a_rule():
    endpoints = api_endpoints()
    missing = [e for e in endpoints if e not in RULES]
    assert not missing, f"endpoints without a permission rule: {missing}"
    stale = [key for key in RULES if key not in endpoints]
    assert not stale, f"rules for endpoints that do not exist: {stale}"


@pytest.fixture
def world(tmp_path, place, db):
    return World(tmp_path, place)


@pytest.mark.parametrize(("path", "method"), sorted(RULES), ids=[f"{m} {p}" for p, m in sorted(RULES)])
def test_permission_matrix(world, path, method):
    rule = RULES[(path, method)]
    failures = []
    for who in rule.principals:
        client = APIClient()
        if who != "anonymous":
            client.force_authenticate(world.users[who])
        cases = {"list": None} if "list" in rule.cases else world.objects(rule.objects, who)
        for case, expected_by_who in rule.cases.items():
            target = cases[case]
            url = path.replace("{id}", str(target.pk)) if target is not None else path
            body = rule.body(world, who, case) if rule.body else None
            if rule.objects == "role" and method in ("PUT", "PATCH", "DELETE"):
                target = world.disposable_role = fresh_role(world, who)
                url = path.replace("{id}", str(target.pk))
            response = client.generic(method, url, data=_json(body), content_type="application/json")
            expected = expected_by_who[who]
            if response.status_code != expected:
                failures.append(f"{who} {case}: {response.status_code} != {expected} {response.content[:200]!r}")
            if rule.cleanup:
                rule.cleanup(world)
    assert not failures, "\n".join(failures)


# ?download=1 of the stream: the library's download_library grant and the role's may_download, both (users hold
# the grant but not the setting; moderators both, globally).
DOWNLOAD = {
    "granted": {**ANON, "guest": 403, "kids": 403, "user": 403, "moderator": 200, "admin": 200},
    "hidden": {**ANON, "guest": 404, "kids": 404, "user": 404, "moderator": 200, "admin": 200},
    "restricted": {**ANON, "guest": 403, "kids": 404, "user": 403, "moderator": 200, "admin": 200},
}


def test_download_matrix(world):
    failures = []
    for who in PRINCIPALS:
        client = APIClient()
        if who != "anonymous":
            client.force_authenticate(world.users[who])
        for case, target in world.objects("file", who).items():
            status = client.get(f"/api/v1/files/{target.pk}/stream/?download=1").status_code
            if status != DOWNLOAD[case][who]:
                failures.append(f"{who} {case}: {status} != {DOWNLOAD[case][who]}")
    assert not failures, "\n".join(failures)


def _json(body) -> str:
    return json.dumps(body) if body is not None else ""


def test_watch_lists_hide_what_kids_may_not_see(world):
    """Progress on items over the kids' limit (say, played before the limit was set) is not offered again."""
    kid = world.users["kids"]
    movies, episodes = world.objects("movie", "kids"), world.objects("episode", "kids")
    for item in ({"movie": movies["granted"]}, {"movie": movies["restricted"]}, {"episode": episodes["restricted"]}):
        watch.session_progress(session=session_for(kid, **item), position=600)
    assert [state.movie for state in watch_states_in_progress(user=kid)] == [movies["granted"]]
    client = APIClient()
    client.force_authenticate(kid)
    titles = [r["item"]["title"] for r in client.get("/api/v1/playback/continue-watching/").json()["results"]]
    assert titles == ["Family"]
