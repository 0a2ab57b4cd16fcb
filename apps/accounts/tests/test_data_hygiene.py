"""Data hygiene over the matrix world: server paths only for library managers, filters that reveal nothing,
and lists of past plays under today's grants and limits."""

from __future__ import annotations

import pytest
from guardian.shortcuts import assign_perm, remove_perm
from rest_framework.test import APIClient

from apps.accounts.tests.matrix_world import World
from apps.core import caching
from apps.core.testing.catalogue import session_for
from apps.libraries.models import LibraryScan, ScanError
from apps.media.models import Episode, MediaFile, Movie, Show

VIEWERS = ["guest", "kids", "user", "moderator"]
UNKNOWN = 2**62  # a valid id that names nothing


@pytest.fixture
def world(tmp_path, place, db):
    return World(tmp_path, place)


def client_of(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def path_keys(body) -> set[str]:
    """Every "path"/"paths" key anywhere in a JSON answer."""
    found = set()
    if isinstance(body, dict):
        found |= {key for key in body if key in ("path", "paths")}
        for value in body.values():
            found |= path_keys(value)
    elif isinstance(body, list):
        for item in body:
            found |= path_keys(item)
    return found


def path_pages(world) -> list[str]:
    family = Movie.objects.get(title="Family")
    return [
        "/api/v1/libraries/",
        f"/api/v1/libraries/{world.movies.pk}/",
        "/api/v1/files/",
        f"/api/v1/files/{MediaFile.objects.get(movie=family).pk}/",
        f"/api/v1/movies/{family.pk}/",
        "/api/v1/episodes/",
        f"/api/v1/scans/{world.scans['granted'].pk}/",
        "/api/v1/scans/",
    ]


def test_viewers_see_no_server_paths_and_admins_do(world):
    ScanError.objects.create(scan=world.scans["granted"], path="/srv/secret/Broken.mkv", reason="no media data")
    failure = "FileNotFoundError: [Errno 2] No such file or directory: '/srv/secret/Movies' (see /srv/x, http://a/b)"
    LibraryScan.objects.filter(pk=world.scans["granted"].pk).update(status="failed", failure=failure)
    for who in VIEWERS:
        client = client_of(world.users[who])
        for url in path_pages(world):
            response = client.get(url)
            assert response.status_code in (200, 404), (who, url)
            assert not path_keys(response.json()), (who, url, response.json())
    # A moderator reads the scan's errors by file name, not by server path.
    errors = client_of(world.users["moderator"]).get(f"/api/v1/scans/{world.scans['granted'].pk}/").json()
    assert errors["error_rows"] == [
        {"name": "Broken.mkv", "reason": "no media data", "created_at": errors["error_rows"][0]["created_at"]}
    ]
    assert errors["failure"] == (
        "FileNotFoundError: [Errno 2] No such file or directory: '<path>' (see <path>, http://a/b)"
    )
    admin = client_of(world.users["admin"])
    assert admin.get(f"/api/v1/scans/{world.scans['granted'].pk}/").json()["failure"] == failure
    for url in path_pages(world):
        if url != "/api/v1/scans/":
            assert path_keys(admin.get(url).json()), url


def test_the_manager_of_one_library_sees_its_paths_only(world):
    user = world.users["user"]
    assign_perm("libraries.manage_library", user, world.movies)
    client = client_of(user)
    libraries = {lib["id"]: lib for lib in client.get("/api/v1/libraries/").json()["results"]}
    assert "paths" in libraries[world.movies.pk] and "paths" not in libraries[world.shows.pk]
    files = client.get("/api/v1/files/").json()["results"]
    for row in files:
        assert ("path" in row) == (row["library"] == world.movies.pk), row
    assert {row["library"] for row in files} == {world.movies.pk, world.shows.pk}
    remove_perm("libraries.manage_library", user, world.movies)


def filter_urls(world, who: str) -> list[tuple[str, object, object]]:
    """(url with {}, an id hidden from `who`, an id `who` sees) for every list filter by related object."""
    movie = {"granted": Movie.objects.get(title="Family"), "hidden": Movie.objects.get(title="Hidden")}
    restricted = Movie.objects.get(title="Adult")
    show = {"granted": Show.objects.get(title="Kind Show"), "hidden": Show.objects.get(title="Secret Show")}
    episode = {case: Episode.objects.get(show=s) for case, s in show.items()}
    hidden_movie = restricted if who == "kids" else movie["hidden"]
    hidden_episode = Episode.objects.get(show__title="Grim Show") if who == "kids" else episode["hidden"]
    other = world.users["admin"]
    urls = [
        ("/api/v1/movies/?library={}", world.hidden_movies.pk, world.movies.pk),
        ("/api/v1/shows/?library={}", world.hidden_shows.pk, world.shows.pk),
        ("/api/v1/episodes/?show={}", hidden_episode.show_id, show["granted"].pk),
        ("/api/v1/files/?library={}", world.hidden_movies.pk, world.movies.pk),
        ("/api/v1/files/?movie={}", hidden_movie.pk, movie["granted"].pk),
        ("/api/v1/files/?episode={}", hidden_episode.pk, episode["granted"].pk),
        ("/api/v1/scans/?library={}", world.hidden_movies.pk, world.movies.pk),
        ("/api/v1/playback/sessions/?user={}", other.pk, world.users[who].pk),
        ("/api/v1/playback/history/?user={}", other.pk, world.users[who].pk),
        ("/api/v1/auth/sessions/?user={}", other.pk, world.users[who].pk),
    ]
    if who == "moderator":  # sees every library and movie: only the admin is hidden from them
        urls = [u for u in urls if "user=" in u[0]]
    return urls


@pytest.mark.parametrize("who", VIEWERS)
def test_filters_answer_a_hidden_id_like_an_unknown_one(world, who):
    client = client_of(world.users[who])
    failures = []
    for template, hidden, visible in filter_urls(world, who):
        as_hidden = client.get(template.format(hidden))
        as_unknown = client.get(template.format(UNKNOWN))
        if (as_hidden.status_code, as_hidden.json()) != (as_unknown.status_code, as_unknown.json()):
            failures.append(
                f"{template}: hidden {as_hidden.status_code} {as_hidden.json()!r:.200} "
                f"!= unknown {as_unknown.status_code} {as_unknown.json()!r:.200}"
            )
        for garbage in (2**70, -1, "abc", "1e3", "0x10", "\uff11"):
            status = client.get(template.format(garbage)).status_code
            if not 200 <= status < 500 or (status == 200 and "user=" not in template and garbage != -1):
                failures.append(f"{template} with {garbage!r}: {status}")
        if client.get(template.format(visible)).status_code != 200:
            failures.append(f"{template} with a visible id: not 200")
    assert not failures, "\n".join(failures)


def test_history_and_session_lists_apply_todays_grants_and_limits(world):
    kid, user = world.users["kids"], world.users["user"]
    family, kind_episode = Movie.objects.get(title="Family"), Episode.objects.get(show__title="Kind Show")
    plays = [session_for(kid, movie=family), session_for(kid, episode=kind_episode), session_for(user, movie=family)]
    gone = session_for(kid, movie=None, episode=Episode.objects.get(show__title="Kind Show"))
    gone.episode, gone.title = None, "Deleted Show S01E01"
    gone.save()

    def listed(client, url: str) -> set[str]:
        return {row["id"] for row in client.get(url).json()["results"]}

    kids, users = client_of(kid), client_of(user)
    for url in ("/api/v1/playback/history/", "/api/v1/playback/sessions/"):
        assert listed(kids, url) == {str(plays[0].pk), str(plays[1].pk), str(gone.pk)}, url
    # Family is re-rated R today: the kid's lists forget it; the user, without a limit, still sees it.
    Movie.objects.filter(pk=family.pk).update(age_rating=17, certification="R")
    for url in ("/api/v1/playback/history/", "/api/v1/playback/sessions/"):
        assert listed(kids, url) == {str(plays[1].pk), str(gone.pk)}, url
        assert listed(users, url) == {str(plays[2].pk)}, url
    # The grant of the TV library is withdrawn from the kids' role: its plays leave their lists too.
    remove_perm("libraries.view_library", world.roles["kids"].group, world.shows)
    caching.bump(caching.ACCESS)
    for url in ("/api/v1/playback/history/", "/api/v1/playback/sessions/"):
        assert listed(kids, url) == {str(gone.pk)}, url
    # The play itself is still the kid's own: its detail stays readable, so it can be stopped or inspected.
    assert kids.get(f"/api/v1/playback/sessions/{plays[0].pk}/").status_code == 200
