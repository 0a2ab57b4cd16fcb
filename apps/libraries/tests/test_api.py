"""The libraries API as managers and anonymous callers use it (scans and the catalogue: apps/scanning/tests)."""

from __future__ import annotations

import pytest

from apps.libraries.models import Library

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(db):
    from apps.accounts.models import Role
    from apps.accounts.services import users

    admin = Role.objects.get(group__name=Role.ADMIN)
    return users.user_create(username="mona", password="pw-for-mona-123", by=None, role=admin)


def test_managers_create_libraries_with_validated_folders(api_client, manager, tmp_path):
    api_client.force_authenticate(manager)
    (tmp_path / "films").mkdir()
    response = api_client.post(
        "/api/v1/libraries/", {"name": "Films", "kind": "movies", "paths": [str(tmp_path / "films")]}, format="json"
    )
    assert response.status_code == 201, response.json()
    assert response.json()["paths"] == [str(tmp_path / "films")]
    bad = api_client.post(
        "/api/v1/libraries/",
        {"name": "Bad", "kind": "movies", "paths": ["relative/path", str(tmp_path / "missing")]},
        format="json",
    )
    assert bad.status_code == 400
    assert bad.json()["code"] == "invalid"
    assert bad.json()["errors"]["paths"] == [
        "'relative/path' is not an absolute path",
        f"{tmp_path / 'missing'} is not an existing folder",
    ]
    assert not Library.objects.filter(name="Bad").exists()
    wrong_kind = api_client.post("/api/v1/libraries/", {"name": "X", "kind": "music", "paths": ["/"]}, format="json")
    assert wrong_kind.status_code == 400 and "kind" in wrong_kind.json()["errors"]


def test_anonymous_gets_401(api_client):
    assert api_client.get("/api/v1/movies/").status_code == 401
