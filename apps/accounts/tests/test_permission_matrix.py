"""Every API endpoint x every built-in role and a custom one x an object in a granted library, in a library
that is not granted, and an item over the role's parental limit → the status each must get.

The endpoints come from the URL conf: a new endpoint without a rule here fails `test_every_endpoint_has_a_rule`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from types import SimpleNamespace

import pytest
from rest_framework.schemas.generators import EndpointEnumerator
from rest_framework.test import APIClient

from apps.accounts import services as account_services
from apps.accounts.models import Role
from apps.audit.models import Activity
from apps.libraries import services as library_services
from apps.libraries.models import LibraryScan
from apps.media.models import DuplicateGroup, DuplicateMember, Episode, MediaFile, Movie, Show
from apps.notifications.tests.matrix import notification_objects
from apps.playback import watch
from apps.playback.tests.factories import session_for
from apps.playback.tests.matrix import playback_objects, playback_rules
from apps.playback.watch_selectors import continue_watching
from apps.requests.models import ArrServer, MediaRequest

PRINCIPALS = ["anonymous", "guest", "kids", "user", "moderator", "admin"]
ANON = {"anonymous": 401}
ALL_OK = {**ANON, "guest": 200, "kids": 200, "user": 200, "moderator": 200, "admin": 200}
MANAGERS_ONLY = {**ANON, "guest": 403, "kids": 403, "user": 403, "moderator": 200, "admin": 200}
ADMIN_ONLY = {**ANON, "guest": 403, "kids": 403, "user": 403, "moderator": 403, "admin": 200}


def catalogue_detail() -> dict[str, dict[str, int]]:
    """Granted: everyone; not granted: those with the global view permission; over the limit: not kids."""
    return {
        "granted": ALL_OK,
        "hidden": {**ANON, "guest": 404, "kids": 404, "user": 404, "moderator": 200, "admin": 200},
        "restricted": {**ALL_OK, "kids": 404},
    }


def hidden_from(rule: dict[str, int], *who: str) -> dict[str, int]:
    """The same rule, but the object is not even visible to `who`: 404."""
    return {name: (404 if name in who else code) for name, code in rule.items()}


def with_status(rule: dict[str, int], status: int) -> dict[str, int]:
    return {who: (status if code == 200 else code) for who, code in rule.items()}


@dataclass
class Rule:
    """Expected statuses for one endpoint and method, by object case and principal."""

    cases: dict[str, dict[str, int]]
    body: object = None
    cleanup: object = None
    objects: str = ""
    principals: list[str] = field(default_factory=lambda: list(PRINCIPALS))


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
AGENT = {"name": "ops", "kind": "webhook", "url": "http://127.0.0.1:9/hook", "secret": "s" * 20, "events": ["*"]}
CHANNEL = {"kind": "ntfy", "url": "ntfy://127.0.0.1:9/topic", "events": ["request"]}
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
    ("/api/v1/notifications/agents/", "GET"): Rule({"list": MANAGERS_ONLY}),
    ("/api/v1/notifications/agents/", "POST"): Rule(
        {"list": with_status(MANAGERS_ONLY, 201)}, body=lambda w, who, c: AGENT
    ),
    ("/api/v1/notifications/agents/{id}/", "GET"): Rule({"granted": MANAGERS_ONLY}, objects="notification_agent"),
    ("/api/v1/notifications/agents/{id}/", "PUT"): Rule(
        {"granted": MANAGERS_ONLY}, objects="notification_agent", body=lambda w, who, c: AGENT
    ),
    ("/api/v1/notifications/agents/{id}/", "PATCH"): Rule(
        {"granted": MANAGERS_ONLY}, objects="notification_agent", body=lambda w, who, c: {"events": ["media"]}
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
        OWN_ONLY, objects="notification_channel", body=lambda w, who, c: {"enabled": False}
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


# Watching writes reach one's own sessions only: anyone else's is 404, even for managers (they terminate instead).
OWN_SESSION = {
    "own": ALL_OK,
    "granted": hidden_from(ALL_OK, *PRINCIPALS[1:]),
    "hidden": hidden_from(ALL_OK, *PRINCIPALS[1:]),
}
PLAYBACK_RULES: dict[tuple[str, str], Rule] = {
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
    ("/api/v1/movies/{id}/", "GET"): Rule(catalogue_detail(), objects="movie"),
    ("/api/v1/shows/", "GET"): Rule({"list": ALL_OK}),
    ("/api/v1/shows/{id}/", "GET"): Rule(catalogue_detail(), objects="show"),
    ("/api/v1/episodes/", "GET"): Rule({"list": ALL_OK}),
    ("/api/v1/episodes/{id}/", "GET"): Rule(catalogue_detail(), objects="episode"),
    ("/api/v1/files/", "GET"): Rule({"list": ALL_OK}),
    ("/api/v1/files/{id}/", "GET"): Rule(catalogue_detail(), objects="file"),
    ("/api/v1/files/{id}/stream/", "GET"): Rule(catalogue_detail(), objects="file"),
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
            "base_url": "http://127.0.0.1:9",
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
            "base_url": "http://127.0.0.1:9",
            "api_key": "k" * 32,
        },
    ),
    ("/api/v1/requests/servers/{id}/", "PATCH"): Rule(
        ARR_DETAIL, objects="arrserver", body=lambda world, who, case: {"enabled": False}
    ),
    ("/api/v1/requests/servers/{id}/", "DELETE"): Rule(
        {"granted": with_status(ARR_DETAIL["granted"], 204)}, objects="arrserver"
    ),
    # Nothing answers on port 9: the test says so (200, ok false) and the options cannot be read (502).
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
    **playback_rules(Rule, catalogue_detail),
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


MOVIE_NFO = "<movie><title>{title}</title><year>{year}</year><mpaa>{mpaa}</mpaa></movie>"
SHOW_NFO = "<tvshow><title>{title}</title><mpaa>{mpaa}</mpaa></tvshow>"


class World:
    """Two libraries (one granted to everyone, one to nobody), rated items, one user per role."""

    def __init__(self, tmp_path, place) -> None:
        granted, hidden = tmp_path / "granted", tmp_path / "hidden"
        self.spare_folder = str(tmp_path / "spare")
        (tmp_path / "spare").mkdir()
        place(granted, "Family (2001)/Family (2001).mkv")
        place(
            granted, "Family (2001)/movie.nfo", content=MOVIE_NFO.format(title="Family", year=2001, mpaa="PG").encode()
        )
        place(granted, "Adult (2002)/Adult (2002).mkv")
        place(granted, "Adult (2002)/movie.nfo", content=MOVIE_NFO.format(title="Adult", year=2002, mpaa="R").encode())
        place(hidden, "Hidden (2003)/Hidden (2003).mkv")
        self.movies = library_services.library_create(name="Granted movies", kind="movies", paths=[str(granted)])
        self.hidden_movies = library_services.library_create(name="Hidden movies", kind="movies", paths=[str(hidden)])
        tv, hidden_tv = tmp_path / "tv", tmp_path / "hidden-tv"
        place(tv, "Kind Show/tvshow.nfo", content=SHOW_NFO.format(title="Kind Show", mpaa="TV-PG").encode())
        place(tv, "Kind Show/Season 01/Kind Show - S01E01.mkv")
        place(tv, "Grim Show/tvshow.nfo", content=SHOW_NFO.format(title="Grim Show", mpaa="TV-MA").encode())
        place(tv, "Grim Show/Season 01/Grim Show - S01E01.mkv")
        place(hidden_tv, "Secret Show/Season 01/Secret Show - S01E01.mkv")
        self.shows = library_services.library_create(name="Granted TV", kind="shows", paths=[str(tv)])
        self.hidden_shows = library_services.library_create(name="Hidden TV", kind="shows", paths=[str(hidden_tv)])
        for library in (self.movies, self.hidden_movies, self.shows, self.hidden_shows):
            library_services.scan_run(scan=library_services.scan_begin(library=library))

        self.roles = {role.name: role for role in Role.objects.select_related("group")}
        kids = account_services.role_create(name="kids", rank=15, by=None, max_parental_age=10)
        self.roles["kids"] = kids
        self.disposable_role = account_services.role_create(name="disposable", rank=5, by=None)
        granter = account_services.user_create(
            username="granter", password="x" * 12, by=None, role=self.roles[Role.ADMIN]
        )
        everyone = {"user": ["view_library", "download_library"], "guest": ["view_library"], "kids": ["view_library"]}
        for library in (self.movies, self.shows):
            library_services.library_grants_set(library=library, roles=everyone, users={}, by=granter)
        for library in (self.hidden_movies, self.hidden_shows):
            library_services.library_grants_set(library=library, roles={}, users={}, by=granter)

        self.users = {
            name: account_services.user_create(username=name, password="x" * 12, by=None, role=self.roles[name])
            for name in ("guest", "kids", "user", "moderator", "admin")
        }
        self.scans = {
            "granted": LibraryScan.objects.filter(library=self.movies).first(),
            "hidden": LibraryScan.objects.filter(library=self.hidden_movies).first(),
        }

    def objects(self, kind: str, who: str) -> dict:
        family, adult = Movie.objects.get(title="Family"), Movie.objects.get(title="Adult")
        hidden = Movie.objects.get(title="Hidden")
        kind_show, grim, secret = (Show.objects.get(title=t) for t in ("Kind Show", "Grim Show", "Secret Show"))
        if kind == "movie":
            return {"granted": family, "hidden": hidden, "restricted": adult}
        if kind == "file":
            return {case: MediaFile.objects.get(movie=m) for case, m in self.objects("movie", who).items()}
        if kind == "show":
            return {"granted": kind_show, "hidden": secret, "restricted": grim}
        if kind == "episode":
            return {case: Episode.objects.get(show=s) for case, s in self.objects("show", who).items()}
        if kind == "library":
            return {"granted": self.movies, "hidden": self.hidden_movies}
        if kind == "scan":
            return self.scans
        if kind == "role":
            return {"granted": self.disposable_role}
        if kind == "duplicate":
            return self.duplicate_groups(who)
        if kind == "arrserver":
            server = ArrServer.objects.create(
                kind="radarr",
                name=f"matrix-{who}-{ArrServer.objects.count()}",
                base_url="http://127.0.0.1:9",
                api_key="k",
            )
            return {"granted": server}
        if kind == "mediarequest":
            return self.media_requests(who)
        if kind == "activity":
            return {"granted": Activity.objects.order_by("pk").first()}
        if kind.startswith("notification"):
            return notification_objects(kind, who, self.users)
        if kind == "hls":
            return playback_objects(kind, who, self.users)
        if kind == "device":
            owners = self.objects("user", f"{who}-device")
            owners["own"] = self.users.get(who, owners["granted"])
            tokens = {case: account_services.api_token_create(user=u, name="tv")[0] for case, u in owners.items()}
            return {case: SimpleNamespace(pk=f"token-{token.pk}") for case, token in tokens.items()}
        if kind == "playback_session":
            owners = self.objects("user", f"{who}-session")
            owners["own"] = self.users.get(who, owners["granted"])
            family = Movie.objects.get(title="Family")
            return {case: session_for(owner, movie=family) for case, owner in owners.items()}
        if kind == "user":
            # Fresh targets per principal, so that one's delete does not change the next one's answer.
            plain = account_services.user_create(username=f"plain-{who}", password="x" * 12, by=None)
            boss = account_services.user_create(
                username=f"boss-{who}", password="x" * 12, by=None, role=self.roles[Role.ADMIN]
            )
            return {"granted": plain, "hidden": boss}
        raise AssertionError(kind)

    def media_requests(self, who: str) -> dict:
        """Fresh pending requests per principal: their own, a plain user's and an admin's; a default Radarr."""
        if not ArrServer.objects.filter(kind="radarr", is_default=True).exists():
            ArrServer.objects.create(
                kind="radarr", name="matrix-default", base_url="http://127.0.0.1:9", api_key="k", is_default=True
            )
        plain = account_services.user_create(username=f"asker-{who}", password="x" * 12, by=None)
        owners = {"own": self.users.get(who, plain), "granted": plain, "hidden": self.users["admin"]}
        found = {}
        for case, owner in owners.items():
            # Ids only grow, even after a principal's DELETE: every title is a new one.
            number = 10_001 + (MediaRequest.objects.order_by("-pk").values_list("pk", flat=True).first() or 0)
            found[case] = MediaRequest.objects.create(kind="movie", tmdb_id=number, title="T", requested_by=owner)
        return found

    def duplicate_groups(self, who: str) -> dict:
        """Fresh groups per principal: one in each movie library, two files each (a row without a file will do)."""
        groups, self.duplicate_files = {}, {}
        for case, library in (("granted", self.movies), ("hidden", self.hidden_movies)):
            files = list(MediaFile.objects.filter(library=library, movie__isnull=False)[:2])
            if len(files) < 2:
                spare = MediaFile.objects.create(library=library, path=f"/nowhere/{who}.mkv", size=1, mtime_ns=1)
                files.append(spare)
            group = DuplicateGroup.objects.create(library=library, kind="title", signature=f"matrix-{who}-{case}")
            DuplicateMember.objects.bulk_create([DuplicateMember(group=group, file=f) for f in files])
            groups[case], self.duplicate_files[case] = group, files[0].pk
        return groups


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
                target = world.disposable_role = _fresh_role(world, who)
                url = path.replace("{id}", str(target.pk))
            response = client.generic(method, url, data=_json(body), content_type="application/json")
            expected = expected_by_who[who]
            if response.status_code != expected:
                failures.append(f"{who} {case}: {response.status_code} != {expected} {response.content[:200]!r}")
            if rule.cleanup:
                rule.cleanup(world)
    assert not failures, "\n".join(failures)


def _fresh_role(world, who):
    return account_services.role_create(name=f"disposable-{who}-{Role.objects.count()}", rank=5, by=None)


def _json(body) -> str:
    import json

    return json.dumps(body) if body is not None else ""


def test_watch_lists_hide_what_kids_may_not_see(world):
    """Progress on items over the kids' limit (say, played before the limit was set) is not offered again."""
    kid = world.users["kids"]
    movies, episodes = world.objects("movie", "kids"), world.objects("episode", "kids")
    for item in ({"movie": movies["granted"]}, {"movie": movies["restricted"]}, {"episode": episodes["restricted"]}):
        watch.session_progress(session=session_for(kid, **item), position=600)
    assert [state.movie for state in continue_watching(kid)] == [movies["granted"]]
    client = APIClient()
    client.force_authenticate(kid)
    titles = [r["item"]["title"] for r in client.get("/api/v1/playback/continue-watching/").json()["results"]]
    assert titles == ["Family"]
