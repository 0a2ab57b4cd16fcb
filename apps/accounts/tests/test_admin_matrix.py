"""The admin as each principal of the permission matrix, plus a librarian (a moderator who manages one library
through a grant): which pages answer what, and which rows each changelist holds. The admin is a client of the
same selectors and services as the API, so these follow the API's rules."""

from __future__ import annotations

import pytest
from django.test import Client

from apps.accounts.models import Role
from apps.accounts.services import users
from apps.accounts.tests.matrix_world import World
from apps.libraries import services as library_services

MEMBERS = {"guest": 302, "kids": 302, "user": 302}  # not staff: sent to the admin's sign-in page
ADMIN_PRINCIPALS = ["guest", "kids", "user", "moderator", "librarian", "admin"]


@pytest.fixture
def world(tmp_path, place, db):
    world = World(tmp_path, place)
    librarian = users.user_create(username="librarian", password="x" * 12, by=None, role=world.roles[Role.MODERATOR])
    library_services.library_grants_set(
        library=world.movies, roles={}, users={"librarian": ["manage_library", "view_library"]}, by=None
    )
    world.users["librarian"] = librarian
    world.plain = users.user_create(username="plain", password="x" * 12, by=None)
    world.boss = users.user_create(username="boss", password="x" * 12, by=None, role=world.roles["admin"])
    return world


def pages(world) -> dict[str, tuple[str, dict[str, int]]]:
    """URL -> expected status by principal (GET). A hidden object is "missing": the admin redirects (302)."""
    staff = {"moderator": 200, "librarian": 200, "admin": 200}
    no_managers = {"moderator": 403, "librarian": 403, "admin": 200}
    return {
        "users": ("/admin/accounts/user/", {**MEMBERS, **staff}),
        "user add": ("/admin/accounts/user/add/", {**MEMBERS, **staff}),
        "plain user": (f"/admin/accounts/user/{world.plain.pk}/change/", {**MEMBERS, **staff}),
        "an admin": (
            f"/admin/accounts/user/{world.boss.pk}/change/",
            {**MEMBERS, **dict.fromkeys(staff, 302), "admin": 200},
        ),
        "roles": ("/admin/accounts/role/", {**MEMBERS, **staff}),
        "role add": ("/admin/accounts/role/add/", {**MEMBERS, **no_managers}),
        "libraries": ("/admin/libraries/library/", {**MEMBERS, **staff}),
        "library add": ("/admin/libraries/library/add/", {**MEMBERS, **no_managers}),
        "granted library": (f"/admin/libraries/library/{world.movies.pk}/change/", {**MEMBERS, **staff}),
        "hidden library": (f"/admin/libraries/library/{world.hidden_movies.pk}/change/", {**MEMBERS, **staff}),
        "library grants page": (f"/admin/libraries/library/{world.movies.pk}/permissions/", {**MEMBERS, **no_managers}),
    }


def test_admin_pages_by_principal(world):
    failures = []
    for name, (url, expected) in pages(world).items():
        for who in ADMIN_PRINCIPALS:
            client = Client()
            client.force_login(world.users[who])
            status = client.get(url).status_code
            if status != expected[who]:
                failures.append(f"{name} as {who}: {status} != {expected[who]}")
    assert not failures, "\n".join(failures)


def rows(client: Client, url: str) -> set[str]:
    response = client.get(url)
    assert response.status_code == 200, url
    return {str(row) for row in response.context["cl"].result_list}


def test_admin_changelists_hold_what_the_selectors_allow(world):
    client = Client()
    client.force_login(world.users["moderator"])
    users = rows(client, "/admin/accounts/user/?all=")
    assert "plain" in users and "librarian" in users
    assert not users & {"admin", "boss", "granter"}  # admins are invisible to moderators, as in the API
    client.force_login(world.users["admin"])
    assert {"admin", "boss", "granter"} <= rows(client, "/admin/accounts/user/?all=")


def test_read_only_pages_refuse_writes(world, tmp_path):
    """Seeing is not changing: a moderator's POST to a library, or a librarian's to another's, is refused."""
    body = {"name": "Taken", "kind": "movies", "paths": str(tmp_path / "spare"), "scan_interval_minutes": 5}
    for who, library, expected in (
        ("moderator", world.movies, 403),
        ("librarian", world.hidden_movies, 403),
        ("librarian", world.movies, 403),  # the folders changed: the global permission is needed
    ):
        client = Client()
        client.force_login(world.users[who])
        response = client.post(f"/admin/libraries/library/{library.pk}/change/", body)
        assert response.status_code == expected, (who, library.name, response.status_code)
        library.refresh_from_db()
        assert library.name != "Taken" and str(tmp_path / "spare") not in library.paths
    client = Client()
    client.force_login(world.users["librarian"])
    own_folders = "\n".join(world.movies.paths)
    kept = client.post(f"/admin/libraries/library/{world.movies.pk}/change/", {**body, "paths": own_folders})
    assert kept.status_code == 302
    world.movies.refresh_from_db()
    assert world.movies.name == "Taken"


def test_moderators_edit_users_but_not_admins_in_the_admin(world):
    client = Client()
    client.force_login(world.users["moderator"])
    data = {
        "username": "boss",
        "role": world.roles["guest"].pk,
        "is_active": "on",
        "settings_overrides": "{}",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "00:00:00",
    }
    client.post(f"/admin/accounts/user/{world.boss.pk}/change/", data)
    world.boss.refresh_from_db()
    assert world.boss.role.name == "admin" and world.boss.is_superuser
    changed = client.post(f"/admin/accounts/user/{world.plain.pk}/change/", {**data, "username": "plain"})
    assert changed.status_code == 302
    world.plain.refresh_from_db()
    assert world.plain.role.name == "guest"
