"""Giving a role needs every permission it holds; role names stay unique; settings are checked by type and range."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError

from apps.accounts import role_settings, rules
from apps.accounts.models import SETTING_FIELDS, Role, User
from apps.accounts.services import roles, users
from apps.accounts.services.roles import permissions_by_name

pytestmark = pytest.mark.django_db

STRONG = ["libraries.add_library", "libraries.change_library", "requests.add_arrserver", "requests.change_arrserver"]


def role(name: str) -> Role:
    return Role.objects.select_related("group").get(group__name=name)


def make_user(name: str, role_name: str) -> User:
    return users.user_create(username=name, password="x" * 12, by=None, role=role(role_name))


@pytest.fixture
def strong_role():
    """Ranked below moderators, but holding permissions moderators do not have."""
    return roles.role_create(name="librarians", rank=30, by=None, permissions=permissions_by_name(STRONG))


@pytest.fixture
def moderator():
    return make_user("mo", "moderator")


def test_rules_of_roles(moderator, strong_role):
    admin = make_user("ad", "admin")
    assert rules.outranks(actor=moderator, target=moderator) and not rules.ranks_above(
        actor=moderator, target=moderator
    )
    assert rules.outranks(actor=moderator, target=strong_role) and not rules.outranks(actor=moderator, target=admin)
    assert not rules.may_assign_role(actor=moderator, role=strong_role)
    assert rules.may_assign_role(actor=moderator, role=role("user"))
    assert rules.may_assign_role(actor=admin, role=strong_role)
    assert set(rules.roles_assignable_by(moderator).values_list("group__name", flat=True)) == {
        "moderator",
        "user",
        "guest",
    }
    assert rules.role_permissions_missing(actor=moderator, role=strong_role) == sorted(STRONG)


def test_a_moderator_may_not_create_a_user_with_stronger_permissions(api_client, moderator, strong_role):
    api_client.force_authenticate(moderator)
    body = {"username": "sleeper", "password": "a long password 123", "role": "librarians"}
    response = api_client.post("/api/v1/users/", body, format="json")
    assert response.status_code == 403
    assert "libraries.add_library" in response.json()["detail"]
    assert not User.objects.filter(username="sleeper").exists()
    plain = api_client.post("/api/v1/users/", {**body, "role": "user"}, format="json")
    assert plain.status_code == 201


def test_a_moderator_may_not_give_a_stronger_role_by_update(api_client, moderator, strong_role):
    member = make_user("u", "user")
    api_client.force_authenticate(moderator)
    for method in ("patch", "put"):
        body = {"username": "u", "role": "librarians"}
        response = getattr(api_client, method)(f"/api/v1/users/{member.pk}/", body, format="json")
        assert response.status_code == 403, method
    member.refresh_from_db()
    assert member.role.name == "user"
    assert not member.has_perm("libraries.add_library")
    with pytest.raises(PermissionDenied):
        users.user_update(user=member, by=moderator, role=strong_role)


def test_a_moderator_may_not_take_over_a_stronger_account(api_client, moderator, strong_role):
    """Ranked lower, but its role holds what the moderator lacks: a new password would hand those over."""
    librarian = users.user_create(username="li", password="x" * 12, by=None, role=strong_role)
    api_client.force_authenticate(moderator)
    response = api_client.patch(f"/api/v1/users/{librarian.pk}/", {"password": "taken over 1234"}, format="json")
    assert response.status_code == 403
    librarian.refresh_from_db()
    assert librarian.check_password("x" * 12)


def test_the_admin_offers_only_roles_one_may_give(client, moderator, strong_role):
    client.force_login(moderator)
    add = client.get("/admin/accounts/user/add/")
    offered = {r.name for r in add.context["adminform"].form.fields["role"].queryset}
    assert offered == {"moderator", "user", "guest"}
    created = client.post(
        "/admin/accounts/user/add/",
        {
            "username": "sleeper",
            "role": strong_role.pk,
            "usable_password": "true",
            "password1": "a long password 123",
            "password2": "a long password 123",
        },
    )
    assert created.status_code == 200 and "role" in created.context["adminform"].form.errors
    assert not User.objects.filter(username="sleeper").exists()
    fine = client.post(
        "/admin/accounts/user/add/",
        {
            "username": "fine",
            "role": role("guest").pk,
            "usable_password": "true",
            "password1": "a long password 123",
            "password2": "a long password 123",
        },
    )
    assert fine.status_code == 302, fine.content[:2000]
    user = User.objects.get(username="fine")
    assert user.role.name == "guest" and list(user.groups.values_list("name", flat=True)) == ["guest"]
    assert user.check_password("a long password 123")


def test_users_created_without_a_password_cannot_sign_in(api_client):
    admin = make_user("ad", "admin")
    api_client.force_authenticate(admin)
    assert api_client.post("/api/v1/users/", {"username": "nopw"}, format="json").status_code == 201
    assert not User.objects.get(username="nopw").has_usable_password()


def test_renaming_a_role_onto_a_taken_name_is_a_400(api_client):
    admin = make_user("ad", "admin")
    api_client.force_authenticate(admin)
    teens = roles.role_create(name="teens", rank=15, by=None)
    roles.role_create(name="kids", rank=12, by=None)
    for method in ("patch", "put"):
        response = getattr(api_client, method)(
            f"/api/v1/roles/{teens.pk}/", {"name": "kids", "rank": 15}, format="json"
        )
        assert response.status_code == 400, response.content
        assert response.json()["errors"]["name"] == ["a role or group with this name exists"]
    guests = api_client.patch(f"/api/v1/roles/{teens.pk}/", {"name": "guest"}, format="json")
    assert guests.status_code == 400
    created = api_client.post("/api/v1/roles/", {"name": "kids", "rank": 5}, format="json")
    assert created.status_code == 400
    assert role("teens").rank == 15 and Role.objects.filter(group__name="kids").count() == 1
    with pytest.raises(ValidationError):
        roles.role_update(role=teens, by=None, name="kids")


def test_the_admin_refuses_a_taken_role_name_in_the_form(client):
    admin = make_user("ad", "admin")
    teens = roles.role_create(name="teens", rank=15, by=None)
    client.force_login(admin)
    data = {"name": "user", "rank": 15, "description": "", "request_quota_days": 7, "max_streams": 0}
    data |= {"max_transcode_height": 0, "max_transcode_bitrate_kbps": 0, "request_quota_movies": 0}
    data |= {"request_quota_shows": 0, "allowed_genres": "", "blocked_genres": "", "feature_flags": ""}
    response = client.post(f"/admin/accounts/role/{teens.pk}/change/", data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["name"] == ["a role or group with this name exists"]
    bad = client.post(
        f"/admin/accounts/role/{teens.pk}/change/", {**data, "name": "teens", "allowed_library_kinds": "music"}
    )
    assert bad.status_code == 200 and "allowed_library_kinds" in bad.context["adminform"].form.errors
    ok = client.post(f"/admin/accounts/role/{teens.pk}/change/", {**data, "name": "teenagers", "max_streams": 2})
    assert ok.status_code == 302, ok.context["adminform"].form.errors if ok.context else ok
    assert role("teenagers").max_streams == 2


BAD_SETTINGS = [
    ("max_streams", -1),
    ("max_streams", "lots"),
    ("max_streams", True),
    ("max_streams", 10**12),
    ("may_download", "yes"),
    ("max_parental_age", 500),
    ("max_parental_age", 12.5),
    ("allowed_library_kinds", ["music"]),
    ("allowed_library_kinds", "movies"),
    ("allowed_genres", [1, 2]),
    ("blocked_genres", [""]),
    ("feature_flags", {"beta": "yes"}),
    ("feature_flags", ["beta"]),
    ("request_quota_days", None),
]


# Typed role columns take what the API and Django turn into their type (true is 1, "yes" is true, 12.5 is 12);
# a user's overrides are JSON, where nothing is turned into anything: there those are refused.
COERCED = [("max_streams", True), ("may_download", "yes"), ("max_parental_age", 12.5)]


@pytest.mark.parametrize(("field", "value"), [bad for bad in BAD_SETTINGS if bad not in COERCED])
def test_bad_role_settings_are_a_400_and_change_nothing(api_client, field, value):
    admin = make_user("ad", "admin")
    teens = roles.role_create(name="teens", rank=15, by=None, max_streams=2)
    api_client.force_authenticate(admin)
    before = {name: getattr(teens, name) for name in SETTING_FIELDS}
    response = api_client.patch(f"/api/v1/roles/{teens.pk}/", {field: value}, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()["errors"] and response.json()["errors"][field]
    teens.refresh_from_db()
    assert {name: getattr(teens, name) for name in SETTING_FIELDS} == before
    with pytest.raises(ValidationError):
        roles.role_update(role=teens, by=None, **{field: value})


@pytest.mark.parametrize(("field", "value"), [*BAD_SETTINGS[:-1], ("no_such_setting", 1)])
def test_bad_overrides_are_a_400_and_change_nothing(api_client, field, value):
    admin, member = make_user("ad", "admin"), make_user("u", "user")
    users.user_update(user=member, by=None, settings_overrides={"max_streams": 4})
    api_client.force_authenticate(admin)
    response = api_client.patch(f"/api/v1/users/{member.pk}/", {"settings_overrides": {field: value}}, format="json")
    assert response.status_code == 400, response.content
    message = " ".join(response.json()["errors"]["settings_overrides"])
    assert field in message
    member.refresh_from_db()
    assert member.settings_overrides == {"max_streams": 4}
    with pytest.raises(ValidationError):
        users.user_update(user=member, by=None, settings_overrides={field: value})
    assert api_client.get("/api/v1/users/me/").status_code == 200


def test_the_user_admin_refuses_bad_overrides(client):
    admin, member = make_user("ad", "admin"), make_user("u", "user")
    client.force_login(admin)
    data = {
        "username": "u",
        "role": member.role_id,
        "is_active": "on",
        "inherit_max_streams": "own",
        "override_max_streams": "lots",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "00:00:00",
    }
    response = client.post(f"/admin/accounts/user/{member.pk}/change/", data)
    assert response.status_code == 200
    assert "override_max_streams" in response.context["adminform"].form.errors
    member.refresh_from_db()
    assert member.settings_overrides == {}
    ok = client.post(f"/admin/accounts/user/{member.pk}/change/", {**data, "override_max_streams": "2"})
    assert ok.status_code == 302
    member.refresh_from_db()
    assert member.settings_overrides == {"max_streams": 2}


def test_every_setting_has_a_check():
    assert set(role_settings.CHECKS) == set(SETTING_FIELDS)
    good = {name: getattr(role("guest"), name) for name in SETTING_FIELDS}
    assert role_settings.setting_values_clean(good) == good
    perms = Permission.objects.filter(codename="view_user")
    assert roles.role_create(name="ok", rank=5, by=None, permissions=list(perms), allowed_genres=[" Drama "])
    assert role("ok").allowed_genres == ["Drama"]


def test_values_stored_before_the_checks_are_ignored_not_obeyed(api_client):
    """Rows written by an older version (or by hand) cannot fail a request: each bad value falls back."""
    member = make_user("u", "user")
    User.objects.filter(pk=member.pk).update(settings_overrides={"max_streams": "lots", "may_download": True})
    Role.objects.filter(pk=member.role_id).update(allowed_library_kinds="movies", blocked_genres=[1])
    from apps.accounts.selectors import effective_settings, effective_settings_forget

    effective_settings_forget(user_ids=[member.pk])
    settings = effective_settings(user=member)
    assert (settings.max_streams, settings.may_download) == (3, True)
    assert (settings.allowed_library_kinds, settings.blocked_genres) == ([], [])
    api_client.force_authenticate(member)
    assert api_client.get("/api/v1/users/me/").status_code == 200
    assert api_client.get("/api/v1/movies/").status_code == 200
