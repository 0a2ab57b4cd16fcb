"""A per-library manage grant cannot be stretched: not to folders or kind, not upwards, not beyond what it holds."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from guardian.shortcuts import get_perms

from apps.accounts.models import Role
from apps.accounts.services import users
from apps.libraries import rules, services
from apps.libraries.models import Library

pytestmark = pytest.mark.django_db


def role(name: str) -> Role:
    return Role.objects.select_related("group").get(group__name=name)


@pytest.fixture
def world(tmp_path):
    """Two libraries; a moderator who manages only "Mine" through a per-library grant; an admin."""
    for name in ("mine", "theirs", "elsewhere"):
        (tmp_path / name).mkdir()
    mine = services.library_create(name="Mine", kind="movies", paths=[str(tmp_path / "mine")])
    theirs = services.library_create(name="Theirs", kind="movies", paths=[str(tmp_path / "theirs")])
    services.library_grants_set(library=theirs, roles={}, users={}, by=None)  # nobody but admins sees it
    manager = users.user_create(username="mo", password="x" * 12, by=None, role=role("moderator"))
    admin = users.user_create(username="ad", password="x" * 12, by=None, role=role("admin"))
    services.library_grants_set(
        library=mine,
        roles={"user": ["download_library", "view_library"], "guest": ["view_library"]},
        users={"mo": ["manage_library", "view_library"]},
        by=None,
    )
    return {"tmp": tmp_path, "mine": mine, "theirs": theirs, "manager": manager, "admin": admin}


def test_a_manager_may_not_move_the_library_onto_other_folders(api_client, world):
    mine, tmp = world["mine"], world["tmp"]
    api_client.force_authenticate(world["manager"])
    url = f"/api/v1/libraries/{mine.pk}/"
    for hostile in ([str(tmp / "mine"), str(tmp / "theirs")], [str(tmp / "theirs")], ["/"], [str(tmp)]):
        response = api_client.patch(url, {"paths": hostile}, format="json")
        assert response.status_code == 403, (hostile, response.content)
    put = api_client.put(url, {"name": "Mine", "kind": "movies", "paths": [str(tmp / "elsewhere")]}, format="json")
    assert put.status_code == 403
    assert Library.objects.get(pk=mine.pk).paths == [str(tmp / "mine")]


def test_a_manager_may_not_change_the_kind(api_client, world):
    api_client.force_authenticate(world["manager"])
    response = api_client.patch(f"/api/v1/libraries/{world['mine'].pk}/", {"kind": "shows"}, format="json")
    assert response.status_code == 403
    assert Library.objects.get(pk=world["mine"].pk).kind == "movies"


def test_a_manager_still_edits_settings_and_keeps_the_same_folders(api_client, world):
    mine, tmp = world["mine"], world["tmp"]
    api_client.force_authenticate(world["manager"])
    url = f"/api/v1/libraries/{mine.pk}/"
    assert api_client.patch(url, {"scan_interval_minutes": 30}, format="json").status_code == 200
    # The same folder, spelled differently, is no change of folders.
    same = api_client.put(url, {"name": "Mine", "kind": "movies", "paths": [str(tmp / "mine") + "/"]}, format="json")
    assert same.status_code == 200, same.content
    assert Library.objects.get(pk=mine.pk).scan_interval_minutes == 30


def test_the_kind_never_changes_not_even_for_admins(api_client, world):
    api_client.force_authenticate(world["admin"])
    response = api_client.patch(f"/api/v1/libraries/{world['mine'].pk}/", {"kind": "shows"}, format="json")
    assert response.status_code == 400 and "kind" in response.json()["errors"]
    moved = api_client.patch(
        f"/api/v1/libraries/{world['mine'].pk}/", {"paths": [str(world["tmp"] / "elsewhere")]}, format="json"
    )
    assert moved.status_code == 200


def test_creating_a_library_needs_the_global_permission(world):
    with pytest.raises(PermissionDenied):
        services.library_create(
            name="Sneaky", kind="movies", paths=[str(world["tmp"] / "elsewhere")], by=world["manager"]
        )
    assert not Library.objects.filter(name="Sneaky").exists()


def grants_url(library: Library) -> str:
    return f"/api/v1/libraries/{library.pk}/permissions/"


def current(library: Library) -> dict:
    return services.library_grants(library=library)


def test_a_manager_may_not_give_manage_to_their_own_role_or_anyone_level(api_client, world):
    mine = world["mine"]
    api_client.force_authenticate(world["manager"])
    before = current(mine)
    own_role = {**before["roles"], "moderator": ["manage_library", "view_library"]}
    response = api_client.put(grants_url(mine), {"roles": own_role, "users": before["users"]}, format="json")
    assert response.status_code == 403 and "lower ranks" in response.json()["detail"]
    peer = users.user_create(username="peer", password="x" * 12, by=None, role=role("moderator"))
    people = {**before["users"], peer.username: ["manage_library"]}
    assert (
        api_client.put(grants_url(mine), {"roles": before["roles"], "users": people}, format="json").status_code == 403
    )
    assert current(mine) == before
    assert "manage_library" not in get_perms(peer, mine)


def test_a_manager_grants_downwards_only_what_they_hold(api_client, world):
    mine = world["mine"]
    api_client.force_authenticate(world["manager"])
    before = current(mine)
    # The manager holds view and manage on "Mine"; without the moderators' global download, not download.
    role("moderator").group.permissions.remove(Permission.objects.get(codename="download_library"))
    taken = {**before["roles"], "guest": ["download_library", "view_library"]}
    refused = api_client.put(grants_url(mine), {"roles": taken, "users": before["users"]}, format="json")
    assert refused.status_code == 403 and "download_library" in refused.json()["detail"]
    given = {**before["roles"], "guest": ["manage_library", "view_library"]}
    ok = api_client.put(grants_url(mine), {"roles": given, "users": before["users"]}, format="json")
    assert ok.status_code == 200, ok.content
    assert current(mine)["roles"]["guest"] == ["manage_library", "view_library"]
    # Unchanged grants of roles at or above the manager's rank do not stop the change.
    assert current(mine)["users"]["mo"] == ["manage_library", "view_library"]


def test_grants_of_a_library_one_does_not_manage_are_refused(world):
    with pytest.raises(PermissionDenied):
        services.library_grants_set(
            library=world["theirs"], roles={"guest": ["view_library"]}, users={}, by=world["manager"]
        )


def test_admins_grant_to_every_role_including_their_own(world):
    result = services.library_grants_set(
        library=world["theirs"],
        roles={"admin": ["manage_library"], "moderator": ["view_library"]},
        users={},
        by=world["admin"],
    )
    assert result["roles"] == {"admin": ["manage_library"], "moderator": ["view_library"]}


def test_rules_of_files_follow_the_real_path(world, tmp_path):
    mine, manager = world["mine"], world["manager"]
    assert rules.may_manage_library(actor=manager, library=mine)
    assert not rules.may_manage_library(actor=manager, library=world["theirs"])
    assert not rules.may_change_library_setup(actor=manager) and rules.may_change_library_setup(actor=world["admin"])
    inside = tmp_path / "mine" / "a.mkv"
    inside.write_bytes(b"x")
    link = tmp_path / "mine" / "b.mkv"
    link.symlink_to(tmp_path / "theirs")
    assert rules.path_inside_folders(str(inside), mine.paths)
    assert not rules.path_inside_folders(str(link), mine.paths)
    assert not rules.path_inside_folders(str(tmp_path / "mine"), mine.paths)  # the folder itself is no file in it
    assert not rules.path_inside_folders(str(tmp_path / "mine" / ".." / "theirs" / "x.mkv"), mine.paths)
