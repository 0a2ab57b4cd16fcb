"""The grants matrices of a library and of a role: saved through library_grants_set, broken input refused with
nothing saved, and a moderator changing only the rows below their rank."""

from __future__ import annotations

from html import unescape

import pytest

from apps.accounts.models import Role
from apps.core.testing.accessibility import html_problems
from apps.core.testing.people import user_make
from apps.libraries import services as library_services

pytestmark = pytest.mark.django_db

DEFAULTS = {"roles": {"guest": ["view_library"], "user": ["download_library", "view_library"]}, "users": {}}


def role(name: str) -> Role:
    return Role.objects.get(group__name=name)


def grants_url(library) -> str:
    return f"/admin/console/libraries/{library.pk}/grants/"


def grants(library) -> dict:
    return library_services.library_grants(library=library)


def test_the_library_matrix_shows_every_role_and_passes_the_html_check(world, signed_in):
    response = signed_in(world.boss).get(grants_url(world.library))
    assert response.status_code == 200
    text = response.content.decode()
    assert html_problems(text) == []
    for name in ("admin", "moderator", "user", "guest"):
        assert f'id="role-{role(name).pk}-label"' in text
    assert f'name="role-{role("user").pk}" value="view_library" id="role-{role("user").pk}-view_library"' in text
    assert 'value="Save"' in text
    page = signed_in(world.boss).get(f"/admin/libraries/library/{world.library.pk}/change/").content.decode()
    assert grants_url(world.library) in page


def test_one_save_changes_roles_and_adds_a_user(world, signed_in):
    user, guest = role("user"), role("guest")
    response = signed_in(world.boss).post(
        grants_url(world.library),
        {
            f"role-{user.pk}": ["view_library", "manage_library"],
            f"role-{guest.pk}": [],
            "add_user": str(world.alice.pk),
            "add_user_perms": ["download_library"],
        },
    )
    assert response.status_code == 302
    assert grants(world.library) == {
        "roles": {"user": ["manage_library", "view_library"]},
        "users": {"alice": ["download_library"]},
    }


@pytest.mark.parametrize(
    "posted, told",
    [
        ({"role-{user}": ["view_library", "delete_library"]}, "Unknown permission 'delete_library'"),
        ({"add_user": "999999", "add_user_perms": ["view_library"]}, "Pick the user to add from the list"),
        ({"add_user": "{alice}"}, "Tick at least one permission for alice"),
    ],
)
def test_broken_input_is_told_and_nothing_is_saved(world, signed_in, posted, told):
    ids = {"user": role("user").pk, "alice": world.alice.pk}
    data = {
        key.format(**ids): value.format(**ids) if isinstance(value, str) else value for key, value in posted.items()
    }
    data.setdefault(f"role-{role('guest').pk}", [])  # would take the guests' view away, were anything saved
    response = signed_in(world.boss).post(grants_url(world.library), data)
    assert response.status_code == 400
    assert told in unescape(response.content.decode())
    assert grants(world.library) == DEFAULTS


def test_a_moderator_without_a_manage_grant_only_looks(world, signed_in):
    client = signed_in(world.mod)
    page = client.get(grants_url(world.library)).content.decode()
    assert "You may look but not change these grants." in page and 'value="Save"' not in page
    assert client.post(grants_url(world.library), {f"role-{role('guest').pk}": []}).status_code == 403
    assert grants(world.library) == DEFAULTS


def test_a_moderator_managing_the_library_changes_only_rows_below_their_rank(world, signed_in):
    library_services.library_grants_set(
        library=world.library, roles=DEFAULTS["roles"], users={"mod": ["manage_library"]}, by=None
    )
    carol = user_make("carol", role=Role.GUEST)
    client = signed_in(world.mod)
    page = client.get(grants_url(world.library)).content.decode()
    admin_row = f'id="role-{role("admin").pk}-view_library"'
    assert admin_row in page and f'{admin_row} aria-label="View: admin" disabled' in page
    assert f'<option value="{world.boss.pk}">' not in page  # the admin is neither listed nor addable
    assert f'<option value="{carol.pk}">carol</option>' in page

    response = client.post(
        grants_url(world.library),
        {
            f"role-{role('admin').pk}": ["view_library", "download_library", "manage_library"],  # ignored: locked
            f"role-{role('moderator').pk}": ["view_library"],  # ignored: the moderator's own rank
            f"role-{role('user').pk}": ["view_library"],
            f"role-{role('guest').pk}": ["view_library", "download_library"],
            "user-" + str(world.mod.pk): [],  # their own row: not below them, kept
            "add_user": str(carol.pk),
            "add_user_perms": ["view_library"],
        },
    )
    assert response.status_code == 302, response.content.decode()
    assert grants(world.library) == {
        "roles": {"guest": ["download_library", "view_library"], "user": ["view_library"]},
        "users": {"carol": ["view_library"], "mod": ["manage_library"]},
    }


def test_the_role_matrix_grants_libraries_to_a_role(world, signed_in, tmp_path):
    (tmp_path / "shows").mkdir()
    shows = library_services.library_create(name="Shows", kind="shows", paths=[str(tmp_path / "shows")])
    guest = role("guest")
    url = f"/admin/console/roles/{guest.pk}/grants/"
    page = signed_in(world.boss).get(url)
    assert page.status_code == 200 and html_problems(page.content.decode()) == []
    response = signed_in(world.boss).post(
        url, {f"library-{world.library.pk}": [], f"library-{shows.pk}": ["view_library", "download_library"]}
    )
    assert response.status_code == 302
    assert "guest" not in grants(world.library)["roles"]
    assert grants(shows)["roles"]["guest"] == ["download_library", "view_library"]

    broken = signed_in(world.boss).post(url, {f"library-{shows.pk}": ["everything"]})
    assert broken.status_code == 400 and "Unknown permission 'everything'" in unescape(broken.content.decode())
    assert grants(shows)["roles"]["guest"] == ["download_library", "view_library"]


def test_a_moderator_cannot_change_the_libraries_of_their_own_role(world, signed_in):
    url = f"/admin/console/roles/{role('moderator').pk}/grants/"
    page = signed_in(world.mod).get(url).content.decode()
    assert "You may look but not change these grants." in page
    signed_in(world.mod).post(url, {f"library-{world.library.pk}": ["manage_library"]})
    assert "moderator" not in grants(world.library)["roles"]
