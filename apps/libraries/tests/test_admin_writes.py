"""The library admin writes through the services: folders checked, default grants set, the kind fixed."""

from __future__ import annotations

import pytest

from apps.accounts.models import Role
from apps.accounts.services import roles, users
from apps.libraries import services
from apps.libraries.models import Library

pytestmark = pytest.mark.django_db


def role(name: str) -> Role:
    return Role.objects.select_related("group").get(group__name=name)


@pytest.fixture
def admin(db):
    return users.user_create(username="ad", password="x" * 12, by=None, role=role("admin"))


def form(name: str, kind: str, *paths: str, **extra) -> dict:
    data = {"name": name, "kind": kind, "paths": "\n".join(paths), "enabled": "on", "scan_interval_minutes": 360}
    return {**data, **extra}


def test_creating_a_library_in_the_admin_sets_the_default_grants(client, admin, tmp_path):
    (tmp_path / "films").mkdir()
    client.force_login(admin)
    response = client.post("/admin/libraries/library/add/", form("Films", "movies", str(tmp_path / "films")))
    assert response.status_code == 302, response.content[:2000]
    library = Library.objects.get(name="Films")
    assert library.paths == [str(tmp_path / "films")]
    assert services.library_grants(library=library)["roles"] == {
        "guest": ["view_library"],
        "user": ["download_library", "view_library"],
    }


def test_the_admin_refuses_bad_folders(client, admin, tmp_path):
    client.force_login(admin)
    response = client.post(
        "/admin/libraries/library/add/", form("Bad", "movies", "relative/dir", str(tmp_path / "missing"))
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["paths"]
    assert errors == ["'relative/dir' is not an absolute path", f"{tmp_path / 'missing'} is not an existing folder"]
    assert not Library.objects.filter(name="Bad").exists()


def test_a_manager_in_the_admin_keeps_to_the_grant(client, tmp_path):
    for name in ("mine", "other"):
        (tmp_path / name).mkdir()
    library = services.library_create(name="Mine", kind="movies", paths=[str(tmp_path / "mine")])
    moderator = users.user_create(username="mo", password="x" * 12, by=None, role=role("moderator"))
    services.library_grants_set(library=library, roles={}, users={"mo": ["manage_library", "view_library"]}, by=None)
    client.force_login(moderator)
    url = f"/admin/libraries/library/{library.pk}/change/"
    moved = client.post(url, form("Mine", "movies", str(tmp_path / "other")))
    assert moved.status_code == 403
    assert Library.objects.get(pk=library.pk).paths == [str(tmp_path / "mine")]
    kept = client.post(url, form("Mine renamed", "movies", str(tmp_path / "mine")))
    assert kept.status_code == 302
    assert client.get("/admin/libraries/library/add/").status_code == 403
    # Guardian's own grant pages skip the rank rules: superusers only.
    assert client.get(f"/admin/libraries/library/{library.pk}/permissions/").status_code == 403
    group = role("moderator").group
    assert client.get(f"/admin/libraries/library/{library.pk}/permissions/group-manage/{group.pk}/").status_code == 403


def test_guardian_grant_pages_are_for_superusers_only(client, admin, tmp_path):
    from django.contrib.auth.models import Permission

    (tmp_path / "mine").mkdir()
    library = services.library_create(name="Mine", kind="movies", paths=[str(tmp_path / "mine")])
    perms = list(Permission.objects.filter(codename__in=["view_library", "change_library"]))
    librarians = roles.role_create(name="librarians", rank=60, by=None, permissions=perms)
    librarian = users.user_create(username="li", password="x" * 12, by=None, role=librarians)
    url = f"/admin/libraries/library/{library.pk}/permissions/"
    client.force_login(librarian)
    assert client.get(f"/admin/libraries/library/{library.pk}/change/").status_code == 200
    assert client.get(url).status_code == 403
    client.force_login(admin)
    assert client.get(url).status_code == 200
