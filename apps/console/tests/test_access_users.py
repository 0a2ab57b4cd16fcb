"""The user page's overrides as typed fields (inherit or own, with what applies now), and the catalogue viewed
as a user through their own selectors."""

from __future__ import annotations

from html import unescape

import pytest

from apps.accounts.models import Role, User
from apps.accounts.selectors import effective_settings
from apps.core.testing.accessibility import html_problems
from apps.core.testing.people import kids_role_make, user_make
from apps.libraries import services as library_services
from apps.media.models import Movie
from apps.scanning import services as scanning

pytestmark = pytest.mark.django_db


def change_data(user: User, **changes) -> dict:
    data = {
        "username": user.username,
        "email": user.email,
        "role": user.role_id,
        "is_active": "on",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "00:00:00",
    }
    for name, value in (user.settings_overrides or {}).items():
        data[f"inherit_{name}"], data[f"override_{name}"] = "own", value
    data.update(changes)
    return data


def url(user: User) -> str:
    return f"/admin/accounts/user/{user.pk}/change/"


def test_the_user_page_shows_each_setting_with_its_role_value_and_what_applies(world, signed_in):
    response = signed_in(world.boss).get(url(world.alice))
    text = response.content.decode()
    assert response.status_code == 200 and html_problems(text) == []
    assert 'name="settings_overrides"' not in text
    assert 'value="inherit" class="override-choice" id="id_inherit_max_streams_0" checked' in text
    assert '<input type="number" name="override_max_streams" value="3"' in text
    assert "<td>3</td>" in text and "<td><strong>3</strong></td>" in text
    assert f"/admin/console/users/{world.alice.pk}/view-as/" in text


def test_an_own_value_is_saved_and_applies_and_inheriting_again_drops_it(world, signed_in):
    client = signed_in(world.boss)
    data = change_data(world.alice, inherit_max_streams="own", override_max_streams="5")
    data |= {"inherit_allowed_library_kinds": "own", "override_allowed_library_kinds": ["movies"]}
    data |= {"inherit_max_parental_age": "own", "override_max_parental_age": "13"}
    response = client.post(url(world.alice), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    world.alice.refresh_from_db()
    assert world.alice.settings_overrides == {
        "max_streams": 5,
        "allowed_library_kinds": ["movies"],
        "max_parental_age": 13,
    }
    assert effective_settings(user=world.alice).max_streams == 5
    page = client.get(url(world.alice)).content.decode()
    assert "<td>3</td>" in page and "<td><strong>5</strong></td>" in page

    again = client.post(url(world.alice), change_data(world.alice, inherit_max_streams="inherit"))
    assert again.status_code == 302
    world.alice.refresh_from_db()
    assert world.alice.settings_overrides == {"allowed_library_kinds": ["movies"], "max_parental_age": 13}
    assert effective_settings(user=world.alice).max_streams == 3


@pytest.mark.parametrize(
    "field, value, told",
    [
        ("max_streams", "many", "Enter a whole number."),
        ("max_streams", "", "Give this user's own value, or inherit from the role."),
        ("max_streams", "40000", "less than or equal to 32767"),
        ("max_parental_age", "11", "Pick a certification from the list: 11 is not one of them."),
        ("max_parental_age", "", "for no limit, give the user a role without one"),
        ("allowed_library_kinds", "music", "Select a valid choice."),
        ("feature_flags", "beta", 'Line 1: write "name: on" or "name: off".'),
    ],
)
def test_a_broken_own_value_is_told_beside_it_and_nothing_is_saved(world, signed_in, field, value, told):
    data = change_data(world.alice, email="new@example.com", **{f"inherit_{field}": "own", f"override_{field}": value})
    data |= {"inherit_request_quota_days": "own", "override_request_quota_days": "3"}
    response = signed_in(world.boss).post(url(world.alice), data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert told in unescape(" ".join(errors[f"override_{field}"])), errors
    world.alice.refresh_from_db()
    assert (world.alice.email, world.alice.settings_overrides) == ("", {})


def test_a_moderator_cannot_reach_an_admins_page_nor_see_them_through_view_as(world, signed_in):
    client = signed_in(world.mod)
    assert client.get(url(world.boss)).status_code in (302, 404)
    assert client.get(f"/admin/console/users/{world.boss.pk}/view-as/").status_code == 404


def test_view_as_lists_what_the_user_sees_through_their_selectors(world, signed_in):
    Movie.objects.filter(title="Heat").update(certification="R", age_rating=17)
    kids = kids_role_make()
    tim = user_make("tim", role=kids)
    library_services.library_grants_set(
        library=world.library, roles={"user": ["view_library"], "kids": ["view_library"]}, users={}, by=None
    )
    response = signed_in(world.boss).get(f"/admin/console/users/{tim.pk}/view-as/")
    text = response.content.decode()
    assert response.status_code == 200 and html_problems(text) == []
    assert '<th scope="row">Alien</th>' in text and "Heat" not in text
    assert "<strong>Libraries:</strong> Movies" in text
    grown_up = signed_in(world.boss).get(f"/admin/console/users/{world.alice.pk}/view-as/").content.decode()
    assert '<th scope="row">Alien</th>' in grown_up and '<th scope="row">Heat</th>' in grown_up


def test_view_as_counts_but_does_not_list_what_the_operator_may_not_see(world, signed_in, tmp_path, place):
    place(tmp_path / "private", "Ronin (1998)/Ronin (1998).mkv")
    private = library_services.library_create(name="Private", kind="movies", paths=[str(tmp_path / "private")])
    scanning.scan_run(scan=scanning.scan_begin(library=private))
    library_services.library_grants_set(library=private, roles={}, users={"alice": ["view_library"]}, by=None)
    moderators = Role.objects.get(group__name="moderator").group
    moderators.permissions.remove(*moderators.permissions.filter(codename="view_library"))
    everyone = {"user": ["view_library"]}
    library_services.library_grants_set(library=world.library, roles=everyone, users={"mod": ["view_library"]}, by=None)
    text = signed_in(world.mod).get(f"/admin/console/users/{world.alice.pk}/view-as/").content.decode()
    assert "Heat" in text and "Ronin" not in text
    assert "1 more in libraries you may not see yourself." in text
