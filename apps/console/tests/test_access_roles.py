"""The role page: typed setting fields from the schema, grouped permission checkboxes, and broken input told
next to its field with nothing saved."""

from __future__ import annotations

from html import unescape

import pytest
from django.contrib.auth.models import Permission

from apps.accounts import role_settings
from apps.accounts.models import SETTING_FIELDS, Role
from apps.accounts.services import roles
from apps.console.access.role_admin import ConsoleRoleForm
from apps.core.testing.accessibility import html_problems
from apps.core.testing.people import kids_role_make, user_make

pytestmark = pytest.mark.django_db


def perm(name: str) -> Permission:
    app_label, codename = name.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def form_data(role: Role, **changes) -> dict:
    """The role's page as a browser would send it back, unchanged but for `changes`."""
    data = {
        "name": role.name,
        "rank": role.rank,
        "description": role.description,
        "permissions": [p.pk for p in role.group.permissions.all()],
        "max_parental_age": "" if role.max_parental_age is None else role.max_parental_age,
        "allowed_library_kinds": role.allowed_library_kinds,
        "allowed_genres": ", ".join(role.allowed_genres),
        "blocked_genres": ", ".join(role.blocked_genres),
        "feature_flags": "",
    }
    for name, setting in role_settings.SETTINGS.items():
        if setting.kind == "count":
            data[name] = getattr(role, name)
        elif setting.kind == "flag" and getattr(role, name):
            data[name] = "on"
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def url(role: Role) -> str:
    return f"/admin/accounts/role/{role.pk}/change/"


def test_every_setting_of_the_schema_is_a_model_field_and_a_typed_field(monkeypatch):
    assert list(role_settings.SETTINGS) == list(SETTING_FIELDS)
    monkeypatch.setitem(
        role_settings.SETTINGS, "max_widgets", role_settings.Setting("count", "Widgets", "Other", 9, "A new one.")
    )
    form = ConsoleRoleForm()
    assert form.fields["max_widgets"].max_value == 9 and form.fields["max_widgets"].label == "Widgets"
    assert form.fields["max_parental_age"].widget.input_type == "select"
    assert form.fields["allowed_library_kinds"].widget.input_type == "checkbox"


def test_the_role_page_shows_typed_fields_and_grouped_permissions(world, signed_in):
    kids = kids_role_make()
    response = signed_in(world.boss).get(url(kids))
    text = response.content.decode()
    assert response.status_code == 200 and html_problems(text) == []
    assert '<input type="number" name="max_streams"' in text
    assert '<select name="max_parental_age"' in text and '<option value="10" selected>10+ (PG, UK 8' not in text
    assert '<option value="10" selected>' in text
    assert '<input type="checkbox" name="allowed_library_kinds" value="movies"' in text
    assert "<summary>Accounts <small>0 of" in text and "View user</label>" in text
    assert "{" not in unescape(text.split('name="feature_flags"')[1].split("</textarea>")[0].split(">", 1)[1])
    assert f"/admin/console/roles/{kids.pk}/grants/" in text


def test_a_role_is_saved_through_its_typed_fields(world, signed_in):
    kids = kids_role_make()
    data = form_data(
        kids,
        max_streams=2,
        allowed_library_kinds=["movies"],
        max_parental_age=13,
        allowed_genres="Animation, Family",
        feature_flags="beta: on\nold_player: off",
        permissions=[perm("accounts.view_user").pk],
        block_unrated="on",
    )
    response = signed_in(world.boss).post(url(kids), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    kids.refresh_from_db()
    assert (kids.max_streams, kids.allowed_library_kinds, kids.max_parental_age) == (2, ["movies"], 13)
    assert kids.allowed_genres == ["Animation", "Family"] and kids.block_unrated
    assert kids.feature_flags == {"beta": True, "old_player": False}
    assert list(kids.group.permissions.values_list("codename", flat=True)) == ["view_user"]


@pytest.mark.parametrize(
    "field, value, told",
    [
        ("max_streams", "lots", "Enter a whole number."),
        ("max_streams", "-1", "Ensure this value is greater than or equal to 0."),
        ("max_transcode_bitrate_kbps", "99999999999", "less than or equal to 2147483647"),
        ("max_parental_age", "11", "Pick a certification from the list: 11 is not one of them."),
        ("max_parental_age", "PG-13", "Pick a certification from the list"),
        ("allowed_library_kinds", "music", "Select a valid choice. music is not one of the available choices."),
        ("feature_flags", "beta = yes please", 'Line 1: write "name: on" or "name: off".'),
        ("allowed_genres", "x" * 101, "a list of names (at most 500, each 1 to 100 characters)"),
    ],
)
def test_broken_settings_are_told_next_to_their_field_and_nothing_is_saved(world, signed_in, field, value, told):
    kids = kids_role_make()
    response = signed_in(world.boss).post(
        url(kids), form_data(kids, name="children", request_quota_days=3, **{field: value})
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert told in " ".join(errors[field]), errors
    kids.refresh_from_db()
    assert (kids.name, kids.request_quota_days, kids.max_streams, kids.max_parental_age) == ("kids", 7, 0, 10)


@pytest.fixture
def manager():
    """A custom staff role that may change roles but is below the admins."""
    names = ["accounts.view_role", "accounts.change_role", "accounts.add_role", "accounts.view_user"]
    role = roles.role_create(name="manager", rank=60, by=None, permissions=[perm(n) for n in names])
    return user_make("manny", role=role)


def test_a_rank_above_the_editors_is_told_next_to_the_rank(manager, signed_in):
    kids = kids_role_make()
    client = signed_in(manager)
    response = client.post(url(kids), form_data(kids, rank=70, max_streams=3))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["rank"] == ["At most your own rank (60)."]
    kids.refresh_from_db()
    assert (kids.rank, kids.max_streams) == (15, 0)
    ok = client.post(url(kids), form_data(kids, rank=60, max_streams=3))
    assert ok.status_code == 302
    kids.refresh_from_db()
    assert (kids.rank, kids.max_streams) == (60, 3)


def test_a_permission_the_editor_lacks_is_told_and_not_granted(manager, signed_in):
    kids = kids_role_make()
    response = signed_in(manager).post(url(kids), form_data(kids, permissions=[perm("libraries.change_library").pk]))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["permissions"] == [
        "You may not grant permissions you do not hold: libraries.change_library."
    ]
    assert not kids.group.permissions.exists()


def test_a_built_in_roles_rank_stays(world, signed_in):
    guest = Role.objects.get(group__name="guest")
    response = signed_in(world.boss).post(url(guest), form_data(guest, rank=12))
    assert response.context["adminform"].form.errors["rank"] == ["The rank of a built-in role is fixed."]
    guest.refresh_from_db()
    assert guest.rank == 10
