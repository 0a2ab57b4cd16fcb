"""Roles, ranks, effective settings and their cache, and the content limits every selector applies."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from apps.accounts import rules, selectors
from apps.accounts.models import Role, User
from apps.accounts.services import roles, users
from apps.libraries import services as library_services

pytestmark = pytest.mark.django_db


def role(name: str) -> Role:
    return Role.objects.select_related("group").get(group__name=name)


def make_user(name: str, role_name: str) -> User:
    return users.user_create(username=name, password="x" * 12, by=None, role=role(role_name))


def test_setup_roles_is_idempotent():
    out = StringIO()
    call_command("setup_roles", stdout=out)
    call_command("setup_roles", stdout=out)
    assert sorted(Role.objects.values_list("group__name", "rank")) == [
        ("admin", 100),
        ("guest", 10),
        ("moderator", 50),
        ("user", 20),
    ]
    assert all(r.is_builtin for r in Role.objects.all())
    assert role("moderator").group.permissions.filter(codename="scan_library").exists()
    assert "admin: rank 100" in out.getvalue()


def test_roles_decide_admin_access_and_superuser():
    admin, moderator, member = make_user("a", "admin"), make_user("m", "moderator"), make_user("u", "user")
    assert (admin.is_superuser, admin.is_staff) == (True, True)
    assert (moderator.is_superuser, moderator.is_staff) == (False, True)
    assert (member.is_superuser, member.is_staff) == (False, False)
    assert list(member.groups.values_list("name", flat=True)) == ["user"]
    assert users.user_create(username="d", password="x" * 12, by=None).role.name == "user"


def test_nobody_acts_above_their_rank():
    moderator, admin = make_user("m", "moderator"), make_user("a", "admin")
    member = make_user("u", "user")
    with pytest.raises(PermissionDenied):
        users.user_update(user=admin, by=moderator, display_name="demoted")
    with pytest.raises(PermissionDenied):
        users.user_update(user=member, by=moderator, role=role("admin"))
    with pytest.raises(PermissionDenied):
        users.user_create(username="x", password="x" * 12, by=moderator, role=role("admin"))
    with pytest.raises(PermissionDenied):
        roles.role_create(name="bosses", rank=60, by=moderator)
    with pytest.raises(PermissionDenied):
        users.user_delete(user=moderator, by=moderator)
    users.user_update(user=member, by=moderator, role=role("guest"))
    assert User.objects.get(pk=member.pk).role.name == "guest"


def test_nobody_grants_a_permission_they_do_not_hold():
    from django.contrib.auth.models import Permission

    moderator = make_user("m", "moderator")
    delete_user = Permission.objects.get(codename="delete_user")
    with pytest.raises(PermissionDenied, match=r"accounts\.delete_user"):
        roles.role_create(name="cleaners", rank=30, by=moderator, permissions=[delete_user])
    view_user = Permission.objects.get(codename="view_user")
    created = roles.role_create(name="viewers", rank=30, by=moderator, permissions=[view_user])
    assert list(created.group.permissions.all()) == [view_user]


def test_built_in_roles_cannot_be_deleted_or_renamed():
    with pytest.raises(ValidationError):
        roles.role_delete(role=role("guest"), by=None)
    with pytest.raises(ValidationError):
        roles.role_update(role=role("guest"), by=None, name="visitors")


def test_deleting_a_custom_role_moves_its_members_to_user():
    custom = roles.role_create(name="friends", rank=25, by=None)
    friend = users.user_create(username="f", password="x" * 12, by=None, role=custom)
    roles.role_delete(role=custom, by=None)
    friend.refresh_from_db()
    assert friend.role.name == "user"
    assert list(friend.groups.values_list("name", flat=True)) == ["user"]


def test_effective_settings_user_override_then_role_then_default():
    member = make_user("u", "user")
    settings = selectors.effective_settings(user=member)
    assert (settings.max_streams, settings.may_download) == (3, False)
    users.user_update(user=member, by=None, settings_overrides={"max_streams": 5})
    assert selectors.effective_settings(user=member).max_streams == 5
    orphan = User.objects.create_user(username="o", password="x" * 12)
    assert selectors.effective_settings(user=orphan).max_streams == selectors.SERVER_DEFAULTS["max_streams"]
    with pytest.raises(ValidationError, match="unknown settings"):
        users.user_update(user=member, by=None, settings_overrides={"root": True})


def test_effective_settings_follow_every_change(django_assert_num_queries):
    member = make_user("u", "user")
    selectors.effective_settings(user=member)
    with django_assert_num_queries(0):
        assert selectors.effective_settings(user=member).max_streams == 3  # served from the cache
    user_role = role("user")
    user_role.max_streams = 7
    user_role.save()
    assert selectors.effective_settings(user=member).max_streams == 7
    users.user_update(user=member, by=None, role=role("guest"))
    assert selectors.effective_settings(user=member).max_streams == 1
    users.user_update(user=member, by=None, settings_overrides={"max_streams": 9})
    assert selectors.effective_settings(user=member).max_streams == 9


def test_me_shows_role_and_effective_settings(api_client):
    member = make_user("u", "user")
    api_client.force_authenticate(member)
    me = api_client.get("/api/v1/users/me/").json()
    assert me["role"] == "user"
    assert me["effective_settings"]["max_streams"] == 3


def test_rank_of():
    assert rules.rank_of(make_user("a", "admin")) > rules.rank_of(make_user("m", "moderator"))
    assert rules.rank_of(User.objects.create_user(username="n", password="x" * 12)) == 0


def test_users_and_roles_api_validation(api_client):
    admin = make_user("a", "admin")
    api_client.force_authenticate(admin)
    bad = api_client.post("/api/v1/users/", {"username": "x", "password": "short", "role": "nope"}, format="json")
    assert bad.status_code == 400
    assert set(bad.json()["errors"]) == {"password", "role"}
    bad_role = api_client.post(
        "/api/v1/roles/",
        {"name": "r", "rank": 5, "permissions": ["nope.nothing"], "allowed_library_kinds": ["music"]},
        format="json",
    )
    assert bad_role.status_code == 400
    assert set(bad_role.json()["errors"]) == {"permissions", "allowed_library_kinds"}
    made = api_client.post(
        "/api/v1/roles/",
        {"name": "teens", "rank": 15, "permissions": ["libraries.view_library"], "max_parental_age": 13},
        format="json",
    )
    assert made.status_code == 201, made.json()
    assert made.json()["permissions"] == ["libraries.view_library"]
    duplicate = api_client.post("/api/v1/roles/", {"name": "teens", "rank": 15}, format="json")
    assert duplicate.status_code == 400
    builtin = api_client.delete(f"/api/v1/roles/{role('guest').pk}/")
    assert builtin.status_code == 400


def test_library_grants_api(api_client, tmp_path):
    admin = make_user("a", "admin")
    (tmp_path / "m").mkdir()
    library = library_services.library_create(name="M", kind="movies", paths=[str(tmp_path / "m")])
    api_client.force_authenticate(admin)
    grants = api_client.get(f"/api/v1/libraries/{library.pk}/permissions/").json()
    assert grants == {"roles": {"guest": ["view_library"], "user": ["download_library", "view_library"]}, "users": {}}
    member = make_user("u", "user")
    put = api_client.put(
        f"/api/v1/libraries/{library.pk}/permissions/",
        {"roles": {"user": ["view_library"]}, "users": {"u": ["download_library", "view_library"]}},
        format="json",
    )
    assert put.status_code == 200
    assert put.json() == {"roles": {"user": ["view_library"]}, "users": {"u": ["download_library", "view_library"]}}
    assert member.has_perm("libraries.download_library", library)
    bad = api_client.put(
        f"/api/v1/libraries/{library.pk}/permissions/",
        {"roles": {"nobody": ["fly"]}, "users": {"ghost": ["view_library"]}},
        format="json",
    )
    assert bad.status_code == 400
    assert bad.json()["errors"]["grants"] == [
        "unknown permission 'fly'",
        "unknown role 'nobody'",
        "unknown user 'ghost'",
    ]


def _change_form(user: User, **changes) -> dict:
    data = {
        "username": user.username,
        "first_name": "",
        "last_name": "",
        "email": "",
        "role": user.role_id or "",
        "is_active": "on",
        "settings_overrides": "{}",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "00:00:00",
    }
    data.update(changes)
    return data


def test_admin_site_role_changes_go_through_the_rank_rules(client):
    boss, moderator, member = make_user("a", "admin"), make_user("m", "moderator"), make_user("u", "user")
    client.force_login(boss)
    url = f"/admin/accounts/user/{member.pk}/change/"
    response = client.post(url, _change_form(member, role=role("guest").pk))
    assert response.status_code == 302, response.content[:500]
    member.refresh_from_db()
    assert member.role.name == "guest"
    assert list(member.groups.values_list("name", flat=True)) == ["guest"]
    client.force_login(moderator)
    assert client.get(f"/admin/accounts/user/{boss.pk}/change/").status_code in (302, 404)
    # A role the moderator may not give is not even offered: the form refuses it.
    denied = client.post(url, _change_form(member, role=role("admin").pk))
    assert denied.status_code == 200 and "role" in denied.context["adminform"].form.errors
    member.refresh_from_db()
    assert member.role.name == "guest" and not member.is_superuser
